package org.openswanj.conf;

import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;

/** {@code leftid=} values, through {@link Identity#parse(String)}. */
final class Ids {
  private Ids() {}

  static Identity parse(String key, String v) throws ConfigException {
    try {
      return Identity.parse(v);
    } catch (IdentityException e) {
      throw new ConfigException(key + "=" + v + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ConfigException(key + "=" + v + ": not a valid ID (" + e.getMessage() + ")");
    }
  }
}
