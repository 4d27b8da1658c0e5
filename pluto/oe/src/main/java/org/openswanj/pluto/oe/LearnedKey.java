package org.openswanj.pluto.oe;

/** A key learned from DNS and the record that published it (what {@code whack --listpubkeys} shows). */
public record LearnedKey(PeerKey key, KeySource source) {}
