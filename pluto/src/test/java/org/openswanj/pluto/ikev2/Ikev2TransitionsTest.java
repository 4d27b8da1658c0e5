package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ikev2.V2Transitions.Direction;
import org.openswanj.pluto.ikev2.V2Transitions.Event;
import org.openswanj.pluto.ikev2.V2Transitions.Keeping;
import org.openswanj.pluto.ikev2.V2Transitions.Shape;
import org.openswanj.pluto.ikev2.V2Transitions.Story;
import org.openswanj.pluto.ikev2.V2Transitions.Transition;

/**
 * Walks the IKEv2 transition table: every state can be reached from a new SA, every row leads to a state with a
 * story, one row per (state, event) so that a message finds one handler, and each row checks the shape of its
 * own message.
 */
class Ikev2TransitionsTest {
  @Test
  void everyStateIsReachableFromANewSa() {
    Set<Ikev2State> reached = EnumSet.noneOf(Ikev2State.class);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Transition t : V2Transitions.all()) {
        if (t.from().isEmpty() || t.from().stream().anyMatch(reached::contains)) {
          // a new Child SA takes the state of its IKE SA, which is established
          Set<Ikev2State> to = t.to().map(EnumSet::of).orElseGet(() -> {
            EnumSet<Ikev2State> up = EnumSet.copyOf(V2Transitions.established());
            up.retainAll(reached);
            return up;
          });
          grew |= reached.addAll(to);
        }
      }
    }
    assertEquals(EnumSet.allOf(Ikev2State.class), reached);
  }

  @Test
  void everyRowLeadsToAStateWithAStory() {
    for (Transition t : V2Transitions.all()) {
      Set<Ikev2State> to = t.to().map(EnumSet::of).orElseGet(() -> EnumSet.copyOf(V2Transitions.established()));
      for (Ikev2State s : to) {
        assertFalse(s.story().isBlank(), t.event() + " leads to " + s + " without a story");
        assertFalse(t.story() != Story.NONE && t.story().line(s).isBlank(), t.event() + " tells nothing");
      }
    }
    // the handshake's steps are told as they were before the table (lab ITs and users grep these lines)
    assertEquals("sent v2I1, expected v2R1",
        V2Transitions.find(Ikev2State.STATE_PARENT_I1, Event.IKE_SA_INIT_SENT).orElseThrow().story()
            .line(Ikev2State.STATE_PARENT_I1));
    assertEquals("IPsec SA established", V2Transitions.find(null, Event.CHILD_ESTABLISHED).orElseThrow().story()
        .line(Ikev2State.STATE_PARENT_I3));
  }

  @Test
  void oneRowPerStateAndEvent() {
    Set<String> seen = new HashSet<>();
    List<String> twice = new ArrayList<>();
    for (Transition t : V2Transitions.all()) {
      List<Object> froms = t.from().isEmpty() ? List.of("new SA") : List.copyOf(t.from());
      for (Object from : froms) {
        if (!seen.add(from + "/" + t.event())) {
          twice.add(from + "/" + t.event());
        }
      }
    }
    for (Keeping k : V2Transitions.allKeeping()) {
      for (Ikev2State s : k.in()) {
        if (!seen.add(s + "/" + k.event())) {
          twice.add(s + "/" + k.event() + " (keeping)");
        }
      }
    }
    assertEquals(List.of(), twice);
  }

  /** A peer's message is checked against its own exchange's and direction's shape; our events have none. */
  @Test
  void eachRowChecksTheShapeOfItsOwnMessage() {
    for (Transition t : V2Transitions.all()) {
      assertEquals(t.event().message().isPresent(), t.inbound().isPresent(), t.event() + ": message without handler");
      t.inbound().ifPresent(in -> assertEquals(t.event().message().get(), in.shape(), t.event().name()));
      t.inbound().ifPresent(in -> assertTrue(in.handler().isPresent(), t.event() + " has no handler"));
    }
    for (Keeping k : V2Transitions.allKeeping()) {
      assertEquals(k.event().message().orElseThrow(), k.inbound().shape(), k.event().name());
      assertFalse(k.in().contains(Ikev2State.STATE_IKESA_DEL), k.event() + " on a deleted IKE SA");
    }
    for (Event e : Event.values()) {
      e.message().ifPresent(s -> assertEquals(e, Event.of(s.exchange(), s.direction(), s.messageIdSync())
          .orElseThrow()));
    }
    assertTrue(Event.of(ExchangeType.IKE_INTERMEDIATE, Direction.REQUEST).isEmpty());
  }

  @Test
  void ikeAuthResponseInParentI2IsOneRowLeadingToParentI3() {
    Transition t = V2Transitions.find(Ikev2State.STATE_PARENT_I2, Event.IKE_AUTH_RESPONSE).orElseThrow();
    assertEquals(new Shape(ExchangeType.IKE_AUTH, Direction.RESPONSE), t.inbound().orElseThrow().shape());
    assertEquals(Ikev2State.STATE_PARENT_I3, t.to().orElseThrow());
    assertEquals(Story.IKE_SA_UP, t.story());
    assertEquals("PARENT SA established", t.story().line(t.to().get()));
    assertEquals(t.inbound(), V2Transitions.inbound(Ikev2State.STATE_PARENT_I2, Event.IKE_AUTH_RESPONSE));
    // an established IKE SA, or the responder, takes no IKE_AUTH response (it is dropped as unexpected)
    assertTrue(V2Transitions.inbound(Ikev2State.STATE_PARENT_I3, Event.IKE_AUTH_RESPONSE).isEmpty());
    assertTrue(V2Transitions.inbound(Ikev2State.STATE_PARENT_R1, Event.IKE_AUTH_RESPONSE).isEmpty());
  }
}
