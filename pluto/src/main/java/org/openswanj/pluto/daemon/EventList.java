package org.openswanj.pluto.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ikev1.IsakmpSa;
import org.openswanj.pluto.ikev1.QuickSa;
import org.openswanj.pluto.ikev2.ChildSa;
import org.openswanj.pluto.ikev2.IkeSa;

/**
 * whack --listevents, as Openswan's timer_list: "It is now: T seconds since epoch", then each queued SA event
 * soonest first, "event EVENT_SA_REPLACE is schd: T (in Ns) state:N" and its connection. Called on the loop.
 */
final class EventList {
  private record Event(String type, Instant due, long serial, String conn) {}

  private EventList() {}

  static List<String> of(Pluto p) {
    Instant now = p.engineNow();
    List<Event> events = new ArrayList<>();
    for (IkeSa sa : p.engine().ikeSas()) {
      add(events, sa.replaceTimer(), sa.originalInitiator(), sa.serial(), sa.conn().name());
    }
    for (ChildSa ch : p.engine().childSas()) {
      add(events, ch.replaceTimer(), ch.parent().originalInitiator(), ch.serial(), ch.conn().name());
    }
    for (IsakmpSa sa : p.ikev1().isakmpSas()) {
      add(events, sa.expireTimer(), false, sa.serial(), sa.conn().name());
    }
    for (QuickSa q : p.ikev1().ipsecSas()) {
      boolean replace = q.replaceTimer() != null;
      add(events, replace ? q.replaceTimer() : q.expireTimer(), replace, q.serial(), q.conn().name());
    }
    if (events.isEmpty()) {
      return List.of("no events are queued");
    }
    events.sort(Comparator.comparing(Event::due));
    List<String> out = new ArrayList<>();
    out.add("It is now: " + now.getEpochSecond() + " seconds since epoch");
    for (Event e : events) {
      out.add("event " + e.type() + " is schd: " + e.due().getEpochSecond() + " (in "
          + Math.max(0, e.due().getEpochSecond() - now.getEpochSecond()) + "s) state:" + e.serial());
      out.add("    connection: \"" + e.conn() + "\"");
    }
    return out;
  }

  private static void add(List<Event> events, EventLoop.Timer t, boolean replace, long serial, String conn) {
    if (t != null) {
      events.add(new Event(replace ? "EVENT_SA_REPLACE" : "EVENT_SA_EXPIRE", t.due(), serial, conn));
    }
  }
}
