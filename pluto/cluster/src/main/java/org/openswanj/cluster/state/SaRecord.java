package org.openswanj.cluster.state;

/** A replicated SA: an IKE SA, an IKEv1 ISAKMP SA, or a Child SA (an IKEv2 Child SA or an IKEv1 IPsec SA). */
public sealed interface SaRecord permits IkeSaRecord, IsakmpSaRecord, ChildSaRecord {
  /** Where it lives below the cluster's prefix in etcd, e.g. {@code ike/<spii>-<spir>}. */
  String keySuffix();
}
