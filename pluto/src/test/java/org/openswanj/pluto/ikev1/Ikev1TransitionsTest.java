package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ikev1.V1Transitions.Event;
import org.openswanj.pluto.ikev1.V1Transitions.Transition;

/**
 * Walks the IKEv1 transition table: every state can be reached from a new SA, every row leads to a state with
 * a story, one row per (state, event) and per (state, exchange) so that a message finds one processor, and
 * the exchanges that keep the state (Informational, Transaction) only under phase 1's keys.
 */
class Ikev1TransitionsTest {
  @Test
  void everyStateIsReachableFromANewSa() {
    Set<Ikev1State> reached = EnumSet.noneOf(Ikev1State.class);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Transition t : V1Transitions.all()) {
        boolean fires = t.from().isEmpty() || t.from().stream().anyMatch(reached::contains);
        if (fires) {
          // "back" (XAUTH/ModeCfg done) returns to the established state phase 1 left from
          Set<Ikev1State> to = t.to().map(EnumSet::of).orElseGet(() -> {
            EnumSet<Ikev1State> back = EnumSet.copyOf(V1Transitions.established());
            back.retainAll(reached);
            return back;
          });
          grew |= reached.addAll(to);
        }
      }
    }
    assertEquals(EnumSet.allOf(Ikev1State.class), reached);
  }

  @Test
  void everyRowLeadsToAStateWithAStory() {
    for (Transition t : V1Transitions.all()) {
      Set<Ikev1State> to = t.to().map(EnumSet::of).orElseGet(() -> EnumSet.copyOf(V1Transitions.established()));
      for (Ikev1State s : to) {
        assertFalse(s.story().isBlank(), t.event() + " leads to " + s + " without a story");
      }
      // "back" only from where XAUTH / ModeConfig run, i.e. after phase 1
      if (t.to().isEmpty()) {
        assertTrue(t.from().stream().allMatch(Ikev1State::keyed), t.event() + " goes back from " + t.from());
      }
    }
  }

  @Test
  void oneRowPerStateAndEvent() {
    Map<String, Event> seen = new HashMap<>();
    List<String> twice = new ArrayList<>();
    for (Transition t : V1Transitions.all()) {
      List<Object> froms = t.from().isEmpty() ? List.of("new SA") : List.copyOf(t.from());
      for (Object from : froms) {
        if (seen.put(from + "/" + t.event(), t.event()) != null) {
          twice.add(from + "/" + t.event());
        }
      }
    }
    assertEquals(List.of(), twice);
  }

  /** The engine finds a peer's message's row by state and exchange: that must name one row too. */
  @Test
  void onePeerMessagePerStateAndExchange() {
    Set<String> seen = new HashSet<>();
    for (Transition t : V1Transitions.all()) {
      if (t.inbound().isEmpty()) {
        assertTrue(t.event().exchange().isEmpty(), t.event() + " has an exchange but no processor");
        continue;
      }
      ExchangeType x = t.event().exchange().orElseThrow();
      List<Object> froms = t.from().isEmpty() ? List.of("new SA") : List.copyOf(t.from());
      for (Object from : froms) {
        assertTrue(seen.add(from + "/" + x), "two rows for " + x + " in " + from);
      }
      // the shape checked is the shape of that very message (MR2's row checks MR2's payloads)
      assertEquals(t.event().name(), t.inbound().get().shape().name());
    }
  }

  /** Informational and Transaction keep the state: only where keys protect them, never where a row takes them. */
  @Test
  void exchangesThatKeepTheStateRunOnlyUnderPhase1Keys() {
    Set<String> seen = new HashSet<>();
    for (V1Transitions.Keeping k : V1Transitions.allKeeping()) {
      assertFalse(k.in().isEmpty(), k.exchange() + " runs nowhere");
      for (Ikev1State s : k.in()) {
        assertTrue(s.keyed(), k.exchange() + " in " + s + " before phase 1 is done");
        assertTrue(V1Transitions.inbound(s, k.exchange()).isEmpty(), k.exchange() + " is also a row in " + s);
        assertTrue(seen.add(s + "/" + k.exchange()), "two for " + k.exchange() + " in " + s);
      }
    }
    assertTrue(V1Transitions.keeping(Ikev1State.STATE_XAUTH_R0, ExchangeType.TRANSACTION).isPresent());
    assertTrue(V1Transitions.keeping(Ikev1State.STATE_MAIN_R2, ExchangeType.INFORMATIONAL_V1).isEmpty());
  }

  @Test
  void mr2InMainI2IsOneRowLeadingToMainI3() {
    Transition t = V1Transitions.inbound(Ikev1State.STATE_MAIN_I2, ExchangeType.IDENTITY_PROTECTION).orElseThrow();
    assertEquals(Event.MR2, t.event());
    assertEquals(Ikev1State.STATE_MAIN_I3, t.to().orElseThrow());
    assertEquals(t, V1Transitions.find(Ikev1State.STATE_MAIN_I2, Event.MR2).orElseThrow());
    // an established ISAKMP SA takes no more Main Mode messages (they are dropped as unexpected)
    assertTrue(V1Transitions.inbound(Ikev1State.STATE_MAIN_I4, ExchangeType.IDENTITY_PROTECTION).isEmpty());
  }
}
