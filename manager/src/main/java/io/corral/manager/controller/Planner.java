package io.corral.manager.controller;

import java.time.Instant;

/**
 * The decision half of a controller: a pure function from a snapshot of the store to the writes to
 * make.
 */
@FunctionalInterface
public interface Planner {

  Plan plan(ClusterSnapshot snapshot, Instant now);
}
