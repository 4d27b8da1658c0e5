package org.openswanj.pluto.crypto;

/**
 * IKEv1 phase 1 keying material (RFC 2409 §5): SKEYID and its three children, plus the cipher key
 * (SKEYID_e, expanded per Appendix B when short, truncated to the cipher's key length).
 */
public record Ikev1Phase1Keys(SecretBytes skeyid, SecretBytes skeyidD, SecretBytes skeyidA, SecretBytes skeyidE,
    SecretBytes encKey) {

  public void wipe() {
    skeyid.wipe();
    skeyidD.wipe();
    skeyidA.wipe();
    skeyidE.wipe();
    encKey.wipe();
  }
}
