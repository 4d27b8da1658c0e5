package org.openswanj.pluto.daemon.oe;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.openswanj.pluto.oe.LearnedKey;
import java.util.concurrent.CompletableFuture;
import org.openswanj.pluto.oe.OeKeyResolver;
import org.openswanj.pluto.oe.OeLookupResult;

/**
 * Where OE finds a peer's key: {@link OeKeyResolver} (dnsjava) in the daemon, a table in tests. The future
 * completes off the event loop, never exceptionally.
 */
public interface OeKeyLookup {
  CompletableFuture<OeLookupResult> lookup(InetAddress address);

  /** The keys learned from DNS whose records have not expired (for {@code whack --listpubkeys}). */
  default List<LearnedKey> learnedKeys() {
    return List.of();
  }

  /** A line for {@code --status} (DNSSEC on or off), if there is one. */
  default Optional<String> describe() {
    return Optional.empty();
  }

  static OeKeyLookup of(OeKeyResolver resolver) {
    return new OeKeyLookup() {
      @Override
      public CompletableFuture<OeLookupResult> lookup(InetAddress address) {
        return resolver.lookup(address);
      }

      @Override
      public List<LearnedKey> learnedKeys() {
        return resolver.learnedKeys();
      }

      @Override
      public Optional<String> describe() {
        return Optional.of(resolver.dnssec().describe());
      }
    };
  }
}
