package io.corral.testcluster.cluster;

/** One node of a test cluster: its name (m1…, w1…), role and address on the virtual LAN. */
public record ClusterNode(String name, Role role, String address) {}
