package io.corral.testcluster.bench;

/**
 * A cluster manager under test: creates, scales and removes a replicated service through its CLI
 * and reports the service's tasks. Methods throw {@link TargetFailure} when the system refuses or
 * cannot be asked.
 */
interface ConvergeTarget {

  /** A name for the figures, e.g. "corral (process executor)". */
  String name();

  void create(String service, int replicas);

  void scale(String service, int replicas);

  void remove(String service);

  /** The service's tasks as the system reports them now. */
  ReplicaCount observe(String service);

  /** True when a removed service has left nothing running. */
  boolean gone(String service);
}
