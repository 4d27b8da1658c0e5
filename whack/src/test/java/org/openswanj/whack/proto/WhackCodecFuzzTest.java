package org.openswanj.whack.proto;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Fuzz target for the whack wire protocol as pluto reads it from the control socket (testing/fuzz/run-fuzz; the
 * normal test run replays the seeds in WhackCodecFuzzTestInputs/, one frame per request type). Invariant:
 * {@link WhackCodec#read} throws only {@link WhackProtocolException} on a bad frame, never a RuntimeException
 * or Error, and a frame it accepts re-encodes to the same request.
 */
class WhackCodecFuzzTest {
  @FuzzTest
  void readFrame(byte[] frame) throws IOException {
    WhackRequest request;
    try {
      request = WhackCodec.read(new DataInputStream(new ByteArrayInputStream(frame)));
    } catch (WhackProtocolException e) {
      assertNotNull(e.getMessage(), "a refusal says what was wrong");
      return;
    }
    byte[] again = WhackCodec.encode(request);
    try {
      assertEquals(request, WhackCodec.read(new DataInputStream(new ByteArrayInputStream(again))),
          "an accepted request re-encodes to itself");
    } catch (WhackProtocolException e) {
      fail("an accepted request re-encodes to a frame that is refused: " + e.getMessage(), e);
    }
  }
}
