package org.openswanj.kernel.netkey;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few libc calls the backend needs, through JNA (no JNI of our own). Every call throws
 * {@link LastErrorException} carrying errno when libc returns -1.
 */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_NETLINK = 16;
  int SOCK_RAW = 3;
  int SOCK_DGRAM = 2;
  int SOCK_CLOEXEC = 0x80000;
  int AF_INET = 2;
  int AF_INET6 = 10;
  int SOL_SOCKET = 1;
  int SO_RCVTIMEO = 20;
  int SO_RCVBUF = 8;
  int SOL_IP = 0;
  int SOL_IPV6 = 41;
  int SOL_UDP = 17;
  int SOL_NETLINK = 270;
  int NETLINK_CAP_ACK = 10;
  int NETLINK_EXT_ACK = 11;
  int IP_XFRM_POLICY = 17;
  int IPV6_XFRM_POLICY = 35;
  int UDP_ENCAP = 100;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

  int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

  long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen) throws LastErrorException;

  long recvfrom(int fd, byte[] buf, long len, int flags, byte[] addr, int[] addrlen) throws LastErrorException;

  int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int open(String path, int flags) throws LastErrorException;

  /** Moves the calling thread into the namespace behind {@code fd} (tests use it for netns). */
  int setns(int fd, int nstype) throws LastErrorException;
}
