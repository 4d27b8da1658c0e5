package org.openswanj.cluster.state;

/** A replicated SA: an IKE SA or a Child SA. */
public sealed interface SaRecord permits IkeSaRecord, ChildSaRecord {
  /** Where it lives below the cluster's prefix in etcd, e.g. {@code ike/<spii>-<spir>}. */
  String keySuffix();
}
