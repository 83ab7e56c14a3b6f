package io.corral.manager.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the rest of the manager may know about the Raft group, without Ratis types. */
public interface RaftView {

  /** This manager's member id (its node id). */
  String selfId();

  boolean isLeader();

  /** The leader this member knows of, if any. */
  Optional<String> leaderId();

  /** The group's members as this member's configuration has them. */
  List<StorePeer> members();

  /** For every member, whether it answered a probe just now (self is always reachable). */
  Map<String, Boolean> reachability();
}
