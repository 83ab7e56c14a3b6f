package io.corral.worker;

import io.corral.api.NodeDescription;
import io.corral.worker.agent.Agent;
import io.corral.worker.agent.CompositeWork;
import io.corral.worker.agent.LogPublisher;
import io.corral.worker.agent.TaskWork;
import io.corral.worker.dns.DnsServer;
import io.corral.worker.dns.GatewayBinding;
import io.corral.worker.network.EndpointTable;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Everything a node runs as a worker (every node does, managers too), beside the manager's {@code
 * ManagerNode}: the task executor, the supervisor that reconciles assignments with it, the log
 * publisher, and the agent whose sessions with the managers carry them. Node-wide worker services
 * (the overlay network driver, the DNS server, the load balancer) start and stop here too, before
 * and after the agent.
 */
public final class WorkerNode implements AutoCloseable {

  /**
   * How to start a worker.
   *
   * @param executor {@code docker}, {@code process} or {@code auto} (see {@link
   *     TaskExecutor#choose})
   * @param dataDir the node's data dir (the process executor keeps task state under {@code tasks/})
   * @param imageRoot where the process executor finds images
   * @param nodeId this node's id (the docker executor labels its containers with it)
   * @param channels opens an mTLS channel to a manager's cluster API address, with the node's
   *     current identity
   * @param managers cluster API addresses (host:port) to start from
   * @param underlayAddr this node's address for the overlay data path (VXLAN source): its advertise
   *     address
   */
  public record Config(
      String executor,
      Path dataDir,
      Path imageRoot,
      String nodeId,
      NodeDescription description,
      Function<String, ManagedChannel> channels,
      List<String> managers,
      Agent.Listener listener,
      String underlayAddr) {}

  private final TaskExecutor executor;
  private final CompositeWork sessionWork;
  private final Agent agent;
  private final EndpointTable endpoints;
  private final DnsServer dns;

  private WorkerNode(
      TaskExecutor executor,
      CompositeWork sessionWork,
      Agent agent,
      EndpointTable endpoints,
      DnsServer dns) {
    this.executor = executor;
    this.sessionWork = sessionWork;
    this.agent = agent;
    this.endpoints = endpoints;
    this.dns = dns;
  }

  /** Chooses the executor, adopts the tasks it still runs, and starts the agent's sessions. */
  public static WorkerNode start(Config c) {
    // The service endpoints of this node's networks, as the dispatcher sends them.
    EndpointTable endpoints = new EndpointTable();
    // The DNS server answers tasks on the gateway address of each network up on this node.
    DnsServer dns = DnsServer.forNode(endpoints);
    TaskExecutor executor =
        TaskExecutor.choose(
            c.executor(),
            c.dataDir(),
            c.imageRoot(),
            c.nodeId(),
            new TaskExecutor.Networking(endpoints, c.underlayAddr(), new GatewayBinding(dns)));
    TaskWork taskWork = new TaskWork(executor.runtime(), endpoints);
    // Task assignments and log subscriptions, run within each of the agent's sessions.
    CompositeWork sessionWork =
        new CompositeWork(taskWork, new LogPublisher(executor.runtime(), taskWork.localTasks()));
    Agent agent =
        new Agent(c.channels(), c.description(), c.managers(), c.listener(), sessionWork).start();
    return new WorkerNode(executor, sessionWork, agent, endpoints, dns);
  }

  /**
   * The service endpoints of this node's networks, kept current by the assignment stream (the
   * network driver, DNS server and load balancer read it and listen to it).
   */
  public EndpointTable endpoints() {
    return endpoints;
  }

  /** The manager the agent's current session runs against, or null between sessions. */
  public String connectedTo() {
    return agent.connectedTo();
  }

  /** Which executor runs the tasks ({@code docker} or {@code process}). */
  public String executorName() {
    return executor.name();
  }

  /**
   * Stops the worker and removes every task it ran, without their grace periods (`swarm leave`).
   */
  public void closeAndRemoveAllTasks() {
    closeSessions();
    executor.removeAllTasks();
    executor.close();
    dns.close();
  }

  /**
   * Stops the agent and the executor's watching; the tasks keep running for the next daemon to
   * adopt.
   */
  @Override
  public void close() {
    closeSessions();
    executor.close();
    dns.close();
  }

  private void closeSessions() {
    agent.close();
    sessionWork.close();
  }
}
