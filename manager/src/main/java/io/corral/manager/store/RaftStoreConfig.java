package io.corral.manager.store;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Everything a manager needs to run its store replica.
 *
 * @param clusterId names the Raft group (one group per cluster)
 * @param self this manager
 * @param members the group at first start: every founding member, or the current members plus self
 *     when joining an existing group (ignored when the data dir already holds Raft state)
 * @param dataDir where Raft log, metadata and snapshots live
 * @param keyManager this node's certificate and key, for mutual TLS between managers
 * @param trustManager decides which peer certificates are managers of this cluster
 * @param tuning timeouts and storage settings
 */
public record RaftStoreConfig(
    String clusterId,
    StorePeer self,
    List<StorePeer> members,
    Path dataDir,
    KeyManager keyManager,
    TrustManager trustManager,
    RaftTuning tuning) {

  public RaftStoreConfig {
    members = List.copyOf(members);
    if (members.stream().noneMatch(p -> p.id().equals(self.id()))) {
      throw new IllegalArgumentException("members must include this manager (" + self.id() + ")");
    }
  }
}
