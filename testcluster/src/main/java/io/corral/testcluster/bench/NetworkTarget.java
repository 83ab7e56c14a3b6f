package io.corral.testcluster.bench;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One system {@code corral-bench network} measures: an overlay network with a VIP service and a
 * dnsrr service of one web task each, and a client task on every node, whose namespaces the probe
 * runs in.
 */
interface NetworkTarget extends AutoCloseable {

  /** E.g. "corral (process executor)". */
  String name();

  /** How the tasks are laid out, for the header, e.g. "server on w1, clients on every node". */
  String layout();

  /** A client task: the command prefix that runs a program in its network namespace, its node. */
  record Client(String node, List<String> prefix) {}

  /**
   * Every client; the first, on another node than the servers where there are several, times
   * requests.
   */
  List<Client> clients();

  /** The probe's RESOLVER argument for the clients: {@code resolv.conf} or an address. */
  String resolver();

  /** The VIP-mode service's name. */
  String vipService();

  /** The dnsrr-mode service's name. */
  String rrService();

  /** A running task of a service: its address on the network, and when it reached RUNNING. */
  record RunningTask(String address, Instant runningAt) {}

  /** The running tasks of the service (desired and actual state running). */
  List<RunningTask> running(String service);

  /** The service's VIP on the network, when it has one. */
  Optional<String> vip(String service);

  /** Sets the service's replica count, without waiting. */
  void scale(String service, int replicas);

  /** Removes what it made; never throws. */
  @Override
  void close();
}
