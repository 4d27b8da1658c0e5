package org.openswanj.kernel.netkey;

import java.util.List;

/**
 * Where the backend's XFRM requests go: a {@link NetlinkSocket} in the daemon, an in-memory fake in unit tests that
 * check what the backend asks for without a kernel.
 */
interface XfrmRequests extends AutoCloseable {
  /** One request; its replies up to the acknowledgement (or NLMSG_DONE for a dump); a refusal is thrown. */
  List<NetlinkSocket.Message> request(int type, int flags, byte[] payload) throws NetlinkException;

  @Override
  void close();
}
