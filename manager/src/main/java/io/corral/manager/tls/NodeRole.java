package io.corral.manager.tls;

/** The role a node holds in the cluster, as carried in the OU of its certificate. */
public enum NodeRole {
  MANAGER("swarm-manager"),
  WORKER("swarm-worker");

  // Docker Swarm's exact OU strings, so certificates read the same way to anyone used to swarmkit.
  private final String ou;

  NodeRole(String ou) {
    this.ou = ou;
  }

  /** The organizational-unit string written into node certificates for this role. */
  public String ou() {
    return ou;
  }

  /**
   * The role named by a certificate OU.
   *
   * @throws IllegalArgumentException if the OU is not one of the two role strings
   */
  public static NodeRole fromOu(String ou) {
    for (NodeRole role : values()) {
      if (role.ou.equals(ou)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "unknown node role OU '" + ou + "'; expected " + MANAGER.ou + " or " + WORKER.ou);
  }
}
