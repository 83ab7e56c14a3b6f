package io.corral.manager.controller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one controller pass decided: groups of changes that must commit together (e.g. shutting a
 * task down and creating its replacement), and when the controller wants to look again even if
 * nothing changes.
 */
public record Plan(List<List<Change>> groups, Optional<Instant> wakeAt) {

  public Plan {
    groups = groups.stream().map(List::copyOf).toList();
  }

  public static final Plan NOTHING = new Plan(List.of(), Optional.empty());

  public boolean isEmpty() {
    return groups.isEmpty();
  }

  /** Every change, in order. */
  public List<Change> changes() {
    return groups.stream().flatMap(List::stream).toList();
  }

  /** Collects a plan. */
  public static final class Builder {
    private final List<List<Change>> groups = new ArrayList<>();
    private Instant wakeAt;

    /** Adds changes that commit all together or not at all. */
    public Builder add(Change... atomic) {
      if (atomic.length > 0) {
        groups.add(List.of(atomic));
      }
      return this;
    }

    /** Asks for another pass at {@code at} (the earliest of all requests wins). */
    public Builder wakeAt(Instant at) {
      if (wakeAt == null || at.isBefore(wakeAt)) {
        wakeAt = at;
      }
      return this;
    }

    public Builder addAll(Plan other) {
      groups.addAll(other.groups());
      other.wakeAt().ifPresent(this::wakeAt);
      return this;
    }

    public Plan build() {
      return new Plan(groups, Optional.ofNullable(wakeAt));
    }
  }
}
