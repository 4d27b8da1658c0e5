package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fuzz target for what netkey reads from the kernel (testing/fuzz/run-fuzz; the normal test run replays the seeds
 * in XfrmDecodeFuzzTestInputs/: NEWSA and NEWPOLICY dump answers, ACQUIRE, EXPIRE, MAPPING and an extended ACK,
 * each a whole netlink datagram). Invariant: the decoders are documented never to throw — a short or lying
 * message ends the walk or yields no event — so any exception is a finding.
 */
class XfrmDecodeFuzzTest {
  @FuzzTest
  void netlinkDatagram(byte[] datagram) {
    ByteBuffer buf = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    for (NetlinkSocket.Message m : NetlinkSocket.parse(buf)) {
      assertTrue(m.payload().limit() <= datagram.length, "a message lies inside its datagram");
      XfrmEventReader.decode(m);
      NetlinkSocket.extack(m);
      switch (m.type()) {
        case Xfrm.MSG_NEWSA -> XfrmParse.state(m.payload(), 0, Xfrm.SIZEOF_USERSA_INFO);
        case Xfrm.MSG_NEWPOLICY -> XfrmParse.policy(m.payload(), 0, Xfrm.SIZEOF_USERPOLICY_INFO);
        default -> {
          // every other type is only looked at by decode() and extack() above
        }
      }
    }
  }
}
