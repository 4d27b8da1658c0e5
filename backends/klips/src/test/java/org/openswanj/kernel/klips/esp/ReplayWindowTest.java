package org.openswanj.kernel.klips.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplayWindowTest {

  @Test
  void inOrderPacketsAreAcceptedAndSeqZeroIsNot() {
    ReplayWindow w = new ReplayWindow(32);
    assertFalse(w.check(0), "RFC 4303 §3.3.3: sequence 0 is never sent");
    for (long s = 1; s <= 1000; s++) {
      assertTrue(w.accept(s), "seq " + s);
    }
    assertEquals(1000, w.highest());
  }

  /** RFC 6311 §5.2: a taken-over window starts with everything below the floor seen. */
  @ParameterizedTest
  @ValueSource(ints = {32, 64, 100, 2048})
  void aWindowStartedAboveAFloorRefusesWhatIsBelowAndAcceptsLateNumbersAboveIt(int size) {
    for (long floor : new long[] {2, 64, 65, 1000, 70_001}) {
      ReplayWindow w = new ReplayWindow(size);
      w.startAbove(floor);
      assertEquals(floor - 1, w.highest());
      assertFalse(w.check(floor - 1), "below the floor: " + floor);
      assertFalse(w.check(1));
      assertTrue(w.accept(floor + 70), "past the floor");
      // late numbers at or above the floor were never seen, even in the floor's own block
      for (long s = floor; s < floor + 70; s += 7) {
        if (floor + 70 - s < size) {
          assertTrue(w.accept(s), "late " + s + " above floor " + floor + " (size " + size + ")");
        }
      }
      assertFalse(w.check(floor - 1), "still refused");
    }
    ReplayWindow fresh = new ReplayWindow(32);
    fresh.startAbove(0); // a new SA
    assertTrue(fresh.accept(1));
  }

  @Test
  void duplicatesAreRefused() {
    ReplayWindow w = new ReplayWindow(64);
    assertTrue(w.accept(5));
    assertFalse(w.accept(5));
    assertTrue(w.accept(3));
    assertFalse(w.check(3));
    assertFalse(w.accept(3));
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 64, 100, 1024, 2048})
  void reorderInsideTheWindowPassesAndOlderFails(int size) {
    ReplayWindow w = new ReplayWindow(size);
    long top = 10_000;
    assertTrue(w.accept(top));
    assertTrue(w.accept(top - size + 1), "the oldest packet still inside the window");
    assertFalse(w.accept(top - size), "one behind the window is too old");
    for (long s = top - 1; s > top - size + 1; s -= 3) {
      assertTrue(w.accept(s), "reordered " + s);
      assertFalse(w.accept(s), "replayed " + s);
    }
  }

  @Test
  void aJumpClearsStaleBits() {
    ReplayWindow w = new ReplayWindow(128);
    for (long s = 1; s <= 200; s++) {
      w.accept(s);
    }
    assertTrue(w.accept(200 + 1000));
    // Slots 200+1000-127 .. 1199 were used by old sequence numbers modulo the ring; they must read as unseen.
    for (long s = 1200 - 127; s < 1200; s++) {
      assertTrue(w.check(s), "seq " + s + " must be fresh after the jump");
    }
  }

  @Test
  void esnHighBitsAreInferredAcrossTheWrap() {
    ReplayWindow w = new ReplayWindow(64);
    long nearWrap = 0xffff_fff0L;
    assertTrue(w.accept(nearWrap));
    // Case A (RFC 4304 Appendix A): a low value after the top is in the next 2^32 block.
    assertEquals(0x1_0000_0002L, w.infer(2));
    assertEquals(0xffff_fff5L, w.infer(0xffff_fff5));
    assertEquals(0xffff_ffe0L, w.infer(0xffff_ffe0), "slightly old: same block");
    assertTrue(w.accept(0x1_0000_0002L));
    // Case B: the window spans the wrap; large low values belong to the previous block.
    assertEquals(0xffff_fff8L, w.infer(0xffff_fff8));
    assertTrue(w.accept(0xffff_fff8L), "in-window packet from before the wrap");
    assertFalse(w.accept(0xffff_fff0L), "replay from before the wrap");
    assertEquals(0x1_0000_0003L, w.infer(3));
  }

  @Test
  void sizesOutsideTheRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(16));
    assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(4096));
  }
}
