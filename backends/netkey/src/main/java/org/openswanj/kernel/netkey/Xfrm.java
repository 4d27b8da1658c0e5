package org.openswanj.kernel.netkey;

/** Constants of the XFRM netlink interface, from {@code <linux/xfrm.h>} (values are kernel ABI). */
final class Xfrm {
  private Xfrm() {}

  // enum xfrm_msg_type (XFRM_MSG_BASE = 0x10)
  static final int MSG_NEWSA = 0x10;
  static final int MSG_DELSA = 0x11;
  static final int MSG_GETSA = 0x12;
  static final int MSG_NEWPOLICY = 0x13;
  static final int MSG_DELPOLICY = 0x14;
  static final int MSG_GETPOLICY = 0x15;
  static final int MSG_ALLOCSPI = 0x16;
  static final int MSG_ACQUIRE = 0x17;
  static final int MSG_EXPIRE = 0x18;
  static final int MSG_UPDPOLICY = 0x19;
  static final int MSG_UPDSA = 0x1a;
  static final int MSG_POLEXPIRE = 0x1b;
  static final int MSG_FLUSHSA = 0x1c;
  static final int MSG_FLUSHPOLICY = 0x1d;
  /** Sets an SA's replay state and lifetime counters in place (struct xfrm_aevent_id, then attributes). */
  static final int MSG_NEWAE = 0x1e;
  static final int MSG_MAPPING = 0x26;

  // enum xfrm_attr_type_t
  static final int XFRMA_ALG_AUTH = 1;
  static final int XFRMA_ALG_CRYPT = 2;
  static final int XFRMA_ENCAP = 4;
  /** struct xfrm_lifetime_cur {bytes, packets, add_time, use_time}: an SA's usage so far. */
  static final int XFRMA_LTIME_VAL = 9;
  /** struct xfrm_replay_state {oseq, seq, bitmap}: a cluster takeover's first outbound sequence number. */
  static final int XFRMA_REPLAY_VAL = 10;
  static final int XFRMA_TMPL = 5;
  static final int XFRMA_SRCADDR = 13;
  static final int XFRMA_LASTUSED = 15;
  static final int XFRMA_ALG_AEAD = 18;
  static final int XFRMA_ALG_AUTH_TRUNC = 20;
  static final int XFRMA_MARK = 21;
  static final int XFRMA_REPLAY_ESN_VAL = 23;

  // enum xfrm_nlgroups: bind() takes the bitmask 1 << (group - 1)
  static final int GRP_ACQUIRE = 1;
  static final int GRP_EXPIRE = 2;
  static final int GRP_MAPPING = 8;

  static int groupMask(int group) {
    return 1 << (group - 1);
  }

  static final int MODE_TRANSPORT = 0;
  static final int MODE_TUNNEL = 1;

  static final int POLICY_IN = 0;
  static final int POLICY_OUT = 1;
  static final int POLICY_FWD = 2;
  static final int POLICY_ALLOW = 0;
  static final int POLICY_BLOCK = 1;

  /** XFRM_STATE_ESN in xfrm_usersa_info.flags. */
  static final int STATE_ESN = 128;
  /** UDP_ENCAP_ESPINUDP (RFC 3948), in xfrm_encap_tmpl.encap_type and the UDP_ENCAP socket option. */
  static final int UDP_ENCAP_ESPINUDP = 2;
  /** XFRM_INF: "no limit" for byte and packet lifetimes (0 would mean "expire at once"). */
  static final long INF = -1L;

  static final int ALG_NAME_LEN = 64;

  // struct sizes on x86_64, checked against offsetof() in the unit tests' comments
  static final int SIZEOF_SELECTOR = 56;
  static final int SIZEOF_USERSA_INFO = 224;
  static final int SIZEOF_USERSA_ID = 24;
  static final int SIZEOF_USERSPI_INFO = 232;
  static final int SIZEOF_USERPOLICY_INFO = 168;
  static final int SIZEOF_USERPOLICY_ID = 64;
  static final int SIZEOF_USER_TMPL = 64;
  static final int SIZEOF_ENCAP_TMPL = 24;
  static final int SIZEOF_USER_ACQUIRE = 280;
  static final int SIZEOF_USER_EXPIRE = 232;
  static final int SIZEOF_USER_MAPPING = 64;
  static final int SIZEOF_REPLAY_ESN = 24;
  static final int SIZEOF_REPLAY_STATE = 12;
  static final int SIZEOF_AEVENT_ID = 48;
  /** XFRM_AE_RVAL in xfrm_aevent_id.flags: the replay value is being set. */
  static final int AE_RVAL = 2;
  static final int SIZEOF_LIFETIME_CFG = 64;
}
