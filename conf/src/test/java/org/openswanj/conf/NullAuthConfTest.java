package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.conf.ConfTestSupport.conn;
import static org.openswanj.conf.ConfTestSupport.messages;
import static org.openswanj.conf.ConfTestSupport.ok;
import static org.openswanj.conf.ConfTestSupport.parse;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.id.Identity;

/** authby=null and %null IDs (RFC 7619) as Libreswan writes them; IKEv2 only. */
class NullAuthConfTest {
  @Test
  void authbyNullWithNullIdsMakesAnIkev2Conn() {
    ConnConfig c = conn(ok(conn("anon", "authby=null", "leftid=%null", "rightid=%null")), "anon");
    assertEquals(Set.of(AuthBy.NULL), c.authby());
    assertEquals(Ikev2Policy.INSIST, c.ikev2(), "an unset ikev2= insists: NULL auth exists only in IKEv2");
    assertEquals(Identity.NULL_ID, c.left().id().orElseThrow());
    assertEquals(13, c.right().id().orElseThrow().kind().ikeIdType(), "ID_NULL on the wire");
  }

  @Test
  void rsasigOrNullAllowsBoth() {
    ConnConfig c = conn(ok(conn("oe", "authby=rsasig|null", "ikev2=insist")), "oe");
    assertEquals(Set.of(AuthBy.RSASIG, AuthBy.NULL), c.authby());
  }

  @Test
  void authbyNullWithAnIkev1PolicyIsAnErrorNamingTheConnAndLine() {
    for (String v1 : new String[] {"never", "permit", "propose"}) {
      LoadResult r = parse("config setup\n" + conn("v1-anon", "authby=null", "ikev2=" + v1));
      assertTrue(r.hasErrors(), v1);
      assertTrue(messages(r).contains("t.conf:2: conn v1-anon: authby=null is IKEv2 only (RFC 7619) but ikev2=" + v1
          + " allows IKEv1; use ikev2=insist"), messages(r).toString());
    }
  }

  @Test
  void anUnknownAuthbyIsStillRefused() {
    LoadResult r = parse(conn("x", "authby=nul"));
    assertTrue(r.hasErrors(), messages(r).toString());
  }
}
