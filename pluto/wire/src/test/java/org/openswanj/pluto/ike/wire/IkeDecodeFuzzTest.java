package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the IKE wire codec (testing/fuzz/run-fuzz runs them with JAZZER_FUZZ=1; the normal test run
 * replays the seeds in IkeDecodeFuzzTestInputs/). Invariant: a decoder and the rules table throw only their
 * declared {@link IkeProtocolException}, never a RuntimeException or Error, and what decodes re-encodes to bytes
 * that decode again to the same payload types.
 */
class IkeDecodeFuzzTest {

  /** A whole datagram, IKEv1 or IKEv2, then the rules table for every exchange and role it could be. */
  @FuzzTest
  void decodeMessage(byte[] datagram) {
    IkeMessage m;
    try {
      m = IkeCodec.decode(datagram);
    } catch (IkeProtocolException e) {
      assertRejected(e);
      return;
    }
    checkRoundTrip(m);
    checkRules(m.payloads());
    try {
      MessageRules.checkOuter(m);
    } catch (InvalidSyntaxException e) {
      assertRejected(e);
    }
  }

  /** An IKEv2 chain (such as the inner chain of a decrypted SK payload): byte 0 is the first payload type. */
  @FuzzTest
  void decodeV2Chain(byte[] input) {
    if (input.length < 1) {
      return;
    }
    byte[] chain = Arrays.copyOfRange(input, 1, input.length);
    try {
      List<Payload> p = IkeCodec.decodeChain(2, input[0] & 0xff, chain, 0, chain.length);
      List<Payload> again = IkeCodec.decodeChain(2, p.isEmpty() ? 0 : p.get(0).wireType(),
          IkeCodec.encodeChain(2, p), 0, IkeCodec.encodeChain(2, p).length);
      assertEquals(types(p), types(again));
      checkRules(p);
    } catch (IkeProtocolException e) {
      assertRejected(e);
    }
  }

  /** A decrypted IKEv1 chain with cipher padding after it (RFC 2409 §5.3): byte 0 is the first payload type. */
  @FuzzTest
  void decodeV1Chain(byte[] input) {
    if (input.length < 1) {
      return;
    }
    try {
      List<Payload> p = IkeCodec.decodeV1Chain(input[0] & 0xff, Arrays.copyOfRange(input, 1, input.length));
      List<Payload> again = IkeCodec.decodeV1Chain(p.isEmpty() ? 0 : p.get(0).wireType(),
          IkeCodec.encodeChain(1, p));
      assertEquals(types(p), types(again));
      for (MessageRules.V1Step step : MessageRules.V1Step.values()) {
        try {
          MessageRules.checkV1(step, p);
        } catch (InvalidSyntaxException e) {
          assertRejected(e);
        }
      }
    } catch (IkeProtocolException e) {
      assertRejected(e);
    }
  }

  private static void checkRoundTrip(IkeMessage m) {
    byte[] again = IkeCodec.encode(m.header(), m.payloads());
    try {
      IkeMessage m2 = IkeCodec.decode(again);
      assertEquals(types(m.payloads()), types(m2.payloads()), "re-encoded message decodes to other payloads");
    } catch (IkeProtocolException e) {
      fail("a decoded message re-encodes to bytes that do not decode: " + e.getMessage(), e);
    }
  }

  private static void checkRules(List<Payload> payloads) {
    for (ExchangeType x : ExchangeType.values()) {
      for (boolean response : new boolean[] {false, true}) {
        try {
          MessageRules.check(x, response, payloads);
        } catch (InvalidSyntaxException e) {
          assertRejected(e);
        }
      }
    }
  }

  private static List<Integer> types(List<Payload> p) {
    return p.stream().map(Payload::wireType).toList();
  }

  private static void assertRejected(IkeProtocolException e) {
    assertNotNull(e.getMessage(), "a protocol error names where and what");
    assertNotNull(e.notifyType(), "a protocol error maps to a notify");
  }
}
