package org.openswanj.pluto.ikev2;

import org.openswanj.pluto.engine.IkeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * What pluto emits, read back byte by byte against RFC 7296's MUSTs, independently of our own decoder: a peer
 * stricter than strongSwan refuses a message that breaks one (an IKE_SA_INIT response whose proposal carried an
 * 8-octet SPI was refused so). Covers the exchanges of a PSK negotiation with a COOKIE and an INVALID_KE_PAYLOAD
 * round, rekeys of the Child and IKE SA, DPD and delete.
 */
class EmittedMessageMustsTest {
  private static final int IKE_SA_INIT = 34;
  private static final int SK = 46;
  private static final int SKF = 53;
  private static final int SA = 33;
  private static final int NOTIFY = 41;
  /** Payload types RFC 7296 §3.2 defines: their critical bit MUST be clear when we send them. */
  private static final Set<Integer> KNOWN = Set.of(33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48,
      SKF);

  @Test
  void everyDatagramOfAFullLifeKeepsTheHeaderAndPayloadMusts() throws Exception {
    IkeSettings loaded = IkeSettings.defaults().withCookieThreshold(0);
    TwoPlutos t = new TwoPlutos(Ikev2TwoPeerTest.PSK, Ikev2TwoPeerTest.PSK, loaded);
    // west offers MODP2048 first, east insists on MODP3072: one INVALID_KE_PAYLOAD round (RFC 7296 §1.2)
    t.add(t.west, "west-east", TwoPlutos.conn("ike", "aes128-sha2_256-modp2048,aes128-sha2_256-modp3072",
        "ikelifetime", "120s", "salifetime", "60s", "rekeymargin", "20s", "rekeyfuzz", "0%", "dpddelay", "5",
        "dpdtimeout", "30", "dpdaction", "clear"));
    t.add(t.east, "west-east", TwoPlutos.conn("ike", "aes128-sha2_256-modp3072", "ikelifetime", "120s",
        "salifetime", "60s", "rekeymargin", "20s", "rekeyfuzz", "0%"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    t.loop.advance(Duration.ofSeconds(101));
    t.whack(t.west, new WhackRequest.Terminate("west-east"));

    List<Datagram> log = t.net.log();
    int initRequests = 0;
    int initResponses = 0;
    for (Datagram d : log) {
      ByteBuffer b = ByteBuffer.wrap(d.bytes());
      String where = "datagram " + log.indexOf(d) + " from " + d.from();
      // RFC 7296 §3.1: the header
      long spiI = b.getLong(0);
      long spiR = b.getLong(8);
      int next = b.get(16) & 0xff;
      int version = b.get(17) & 0xff;
      int exchange = b.get(18) & 0xff;
      int flags = b.get(19) & 0xff;
      int msgId = b.getInt(20);
      int length = b.getInt(24);
      assertEquals(0x20, version, where + ": MjVer 2, MnVer 0");
      assertEquals(d.bytes().length, length, where + ": Length is the whole message");
      assertEquals(0, flags & ~0x28, where + ": V and the other flag bits MUST be clear, flags=" + flags);
      assertNotEquals(0L, spiI, where + ": the initiator's SPI is never zero");
      boolean response = (flags & 0x20) != 0;
      if (exchange == IKE_SA_INIT) {
        assertEquals(0, msgId, where + ": IKE_SA_INIT is message 0");
        assertTrue(next != SK, where + ": IKE_SA_INIT is not encrypted");
        if (response) {
          initResponses++;
        } else {
          initRequests++;
          assertEquals(0L, spiR, where + ": the responder's SPI MUST be zero in the first message");
        }
      } else {
        // §3.14; RFC 7383 §2.5: or in an Encrypted Fragment payload when too large (the PSK IKE_AUTH is)
        assertTrue(next == SK || next == SKF, where + ": every exchange after IKE_SA_INIT is in an SK or SKF payload");
        assertNotEquals(0L, spiR, where + ": both SPIs set after IKE_SA_INIT");
      }
      walkPayloads(b, 28, next, exchange, where);
    }
    assertTrue(initRequests >= 3, "first try, the cookie retry and the INVALID_KE retry: " + initRequests);
    assertTrue(initResponses >= 3, "the COOKIE, the INVALID_KE and the answer: " + initResponses);
  }

  private static void walkPayloads(ByteBuffer b, int at, int first, int exchange, String where) {
    int type = first;
    int pos = at;
    List<Integer> seen = new ArrayList<>();
    while (type != 0) {
      assertTrue(pos + 4 <= b.limit(), where + ": a payload header past the end");
      int next = b.get(pos) & 0xff;
      int cflags = b.get(pos + 1) & 0xff;
      int len = b.getShort(pos + 2) & 0xffff;
      assertTrue(len >= 4 && pos + len <= b.limit(), where + ": payload " + type + " length " + len);
      assertTrue(KNOWN.contains(type), where + ": we send only payloads RFC 7296 defines: " + type);
      assertEquals(0, cflags, where + ": payload " + type + ": critical bit clear for a known type, RESERVED zero");
      if (type == SA) {
        checkSa(b, pos + 4, pos + len, exchange, where);
      }
      if (type == NOTIFY) {
        checkNotify(b, pos + 4, len - 4, exchange, where);
      }
      seen.add(type);
      if (type == SK || type == SKF) {
        assertEquals(b.limit(), pos + len, where + ": SK/SKF runs to the end of the message");
        return;
      }
      pos += len;
      type = next;
    }
    assertEquals(b.limit(), pos, where + ": no bytes after the last payload " + seen);
  }

  /** RFC 7296 §3.3.1-§3.3.5: proposal and transform substructures. */
  private static void checkSa(ByteBuffer b, int from, int to, int exchange, String where) {
    int pos = from;
    int expectedNumber = 1;
    boolean last = false;
    while (pos < to) {
      assertFalse(last, where + ": a proposal after the one marked last");
      int more = b.get(pos) & 0xff;
      assertTrue(more == 0 || more == 2, where + ": proposal Last Substruc is 0 or 2: " + more);
      last = more == 0;
      assertEquals(0, b.get(pos + 1), where + ": proposal RESERVED");
      int len = b.getShort(pos + 2) & 0xffff;
      int number = b.get(pos + 4) & 0xff;
      int protocol = b.get(pos + 5) & 0xff;
      int spiSize = b.get(pos + 6) & 0xff;
      int transforms = b.get(pos + 7) & 0xff;
      if (exchange == IKE_SA_INIT) {
        // §3.3.1: "For an initial IKE SA negotiation, this field MUST be zero"
        assertEquals(0, spiSize, where + ": IKE_SA_INIT proposal SPI Size");
      } else if (protocol == 1) {
        assertEquals(8, spiSize, where + ": an IKE SA rekey carries the new 8-octet SPI");
      } else {
        assertEquals(4, spiSize, where + ": ESP/AH SPI is 4 octets");
      }
      // a responder's single proposal keeps the initiator's number; ours count up from 1 (§3.3.1)
      assertTrue(number == expectedNumber || (last && expectedNumber == 1), where + ": proposal number " + number);
      expectedNumber = number + 1;
      int tpos = pos + 8 + spiSize;
      for (int i = 0; i < transforms; i++) {
        int tmore = b.get(tpos) & 0xff;
        assertEquals(i == transforms - 1 ? 0 : 3, tmore, where + ": transform Last Substruc");
        assertEquals(0, b.get(tpos + 1), where + ": transform RESERVED");
        assertEquals(0, b.get(tpos + 5), where + ": transform RESERVED after the type");
        tpos += b.getShort(tpos + 2) & 0xffff;
      }
      assertEquals(pos + len, tpos, where + ": proposal length is its transforms");
      pos += len;
    }
    assertTrue(last, where + ": the last proposal is marked last");
    assertEquals(to, pos, where + ": SA payload length");
  }

  /** RFC 7296 §3.10: a notify about the IKE SA in the initial exchange carries no SPI. */
  private static void checkNotify(ByteBuffer b, int from, int bodyLength, int exchange, String where) {
    int protocol = b.get(from) & 0xff;
    int spiSize = b.get(from + 1) & 0xff;
    assertTrue(bodyLength >= 4 + spiSize, where + ": notify length");
    if (exchange == IKE_SA_INIT) {
      assertEquals(0, spiSize, where + ": IKE_SA_INIT notifies carry no SPI");
      assertEquals(0, protocol, where + ": Protocol ID zero when SPI Size is zero");
    }
  }
}
