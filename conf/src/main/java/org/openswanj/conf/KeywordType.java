package org.openswanj.conf;

/** The value syntax of a keyword (Openswan's kt_* types, refined where Openswan validates later). */
public enum KeywordType {
  STRING,
  FILENAME,
  BOOL,
  /** A boolean whose sense is inverted internally (disablearrivalcheck); written like BOOL. */
  INVERTBOOL,
  ENUM,
  /** Several enum values separated by spaces or commas (plutodebug=). */
  LIST,
  NUMBER,
  /** Seconds, or a number with an s/m/h/d/w suffix, or %forever (0). */
  TIME,
  PERCENT,
  IPADDR,
  SUBNET,
  /** A list of subnets, {@code {a b}} or comma separated (leftsubnets=). */
  SUBNETS,
  HOST,
  ID,
  RSAKEY,
  BITSTRING,
  PROTOPORT,
  IKE_ALGS,
  ESP_ALGS,
  VIRTUAL_PRIVATE,
  /** An address and port to listen on, ADDR:PORT or [IPV6]:PORT ({@link ListenAddress}). */
  LISTEN_ADDRESS,
  /** Conn names, appended when repeated (also=, alsoflip=, connalias=). */
  NAMES
}
