package org.openswanj.pluto.oe;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Instant;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Fuzz target for the DNS records opportunistic encryption reads from a peer's zone (testing/fuzz/run-fuzz; the
 * normal test run replays the seeds in OeRecordsFuzzTestInputs/). Input: one byte choosing IPSECKEY (RFC 4025),
 * TXT (Openswan's X-IPsec-Server) or KEY (RFC 2535), then the record's RDATA as it comes off the wire. RDATA that
 * dnsjava itself refuses is skipped. Invariant: what we do with a record dnsjava accepted ends in a candidate or
 * an {@link OeRecordException} naming the problem, never a RuntimeException or Error.
 */
class OeRecordsFuzzTest {
  private static final int[] TYPES = {Type.IPSECKEY, Type.TXT, Type.KEY};

  @FuzzTest
  void record(byte[] input) throws Exception {
    if (input.length < 1) {
      return;
    }
    int type = TYPES[(input[0] & 0xff) % TYPES.length];
    Record r;
    try {
      r = Record.fromWire(wire(type, input), Section.ANSWER);
    } catch (IOException e) {
      return; // not a record dnsjava can read: it never reaches us
    }
    KeySource src = new KeySource(type, r.getName(), Instant.EPOCH, DnssecStatus.INSECURE);
    try {
      if (r instanceof IPSECKEYRecord k) {
        assertNotNull(OeRecords.ipseckey(k, src));
      } else if (r instanceof TXTRecord t) {
        OeRecords.txt(t, src);
      } else if (r instanceof KEYRecord k) {
        assertNotNull(OeRecords.key(k, src));
      }
    } catch (OeRecordException e) {
      assertNotNull(e.getMessage(), "a refused record says why");
    }
  }

  /** A whole resource record: owner 1.2.0.192.in-addr.arpa., TYPE, IN, TTL 3600, RDLENGTH, RDATA. */
  private static byte[] wire(int type, byte[] input) throws IOException {
    DNSOutput out = new DNSOutput();
    Name.fromString("1.2.0.192.in-addr.arpa.").toWire(out, null);
    out.writeU16(type);
    out.writeU16(DClass.IN);
    out.writeU32(3600);
    out.writeU16(input.length - 1);
    out.writeByteArray(input, 1, input.length - 1);
    return out.toByteArray();
  }
}
