package io.corral.manager.controller;

import io.corral.manager.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller pass made of a planner: read a snapshot, decide, write; run again at once if the
 * store moved.
 */
public final class PlanningPass implements ControllerLoop.Pass {

  private static final Logger LOG = LoggerFactory.getLogger(PlanningPass.class);

  private final String name;
  private final Store store;
  private final Clock clock;
  private final Planner planner;

  public PlanningPass(String name, Store store, Clock clock, Planner planner) {
    this.name = name;
    this.store = store;
    this.clock = clock;
    this.planner = planner;
  }

  @Override
  public Optional<Instant> run() {
    ClusterSnapshot snapshot = store.view(ClusterSnapshot::read);
    Instant now = clock.instant();
    Plan plan = planner.plan(snapshot, now);
    if (plan.isEmpty()) {
      return plan.wakeAt();
    }
    ChangeWriter.Result result = ChangeWriter.apply(store, plan);
    LOG.debug("{}: wrote {} change groups, {} stale", name, result.written(), result.stale());
    // Stale groups were decided on an old view: decide again straight away.
    return result.stale() > 0 ? Optional.of(now) : plan.wakeAt();
  }
}
