package io.corral.cli.node;

import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.RaftMemberStatus;
import io.corral.cli.format.CliFailure;

/**
 * The lower-case words docker's API uses for node enums ({@code ready}, {@code drain}, {@code
 * manager}, …).
 */
public final class NodeWords {

  private NodeWords() {}

  static String state(NodeStatus.State s) {
    return switch (s) {
      case READY -> "ready";
      case DOWN -> "down";
      case DISCONNECTED -> "disconnected";
      default -> "unknown";
    };
  }

  static String availability(NodeSpec.Availability a) {
    return switch (a) {
      case PAUSE -> "pause";
      case DRAIN -> "drain";
      default -> "active";
    };
  }

  static String role(NodeRole r) {
    return r == NodeRole.MANAGER ? "manager" : "worker";
  }

  static String reachability(RaftMemberStatus.Reachability r) {
    return switch (r) {
      case REACHABLE -> "reachable";
      case UNREACHABLE -> "unreachable";
      default -> "unknown";
    };
  }

  static String membership(NodeSpec.Membership m) {
    return m == NodeSpec.Membership.ACCEPTED ? "accepted" : "pending";
  }

  /** Parses an {@code --availability} value; case-insensitive like docker's daemon. */
  public static NodeSpec.Availability parseAvailability(String s) {
    return switch (s.toLowerCase()) {
      case "active" -> NodeSpec.Availability.ACTIVE;
      case "pause" -> NodeSpec.Availability.PAUSE;
      case "drain" -> NodeSpec.Availability.DRAIN;
      default ->
          throw new CliFailure(
              "invalid argument \""
                  + s
                  + "\" for \"--availability\" flag: "
                  + "must be one of \"active\", \"pause\", \"drain\"");
    };
  }

  /** Parses a {@code --role} value. */
  static NodeRole parseRole(String s) {
    return switch (s.toLowerCase()) {
      case "worker" -> NodeRole.WORKER;
      case "manager" -> NodeRole.MANAGER;
      default ->
          throw new CliFailure(
              "invalid argument \""
                  + s
                  + "\" for \"--role\" flag: "
                  + "must be \"worker\" or \"manager\"");
    };
  }
}
