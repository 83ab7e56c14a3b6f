package io.corral.manager.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.util.TimeDuration;

/**
 * Translates Corral's store settings into Ratis properties, TLS parameters and group descriptions.
 */
final class RatisSettings {

  private RatisSettings() {}

  static RaftGroupId groupId(String clusterId) {
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(("corral-store:" + clusterId).getBytes(StandardCharsets.UTF_8)));
  }

  static RaftPeer peer(StorePeer p) {
    return RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build();
  }

  static StorePeer peer(RaftPeer p) {
    return new StorePeer(p.getId().toString(), p.getAddress());
  }

  static RaftGroup group(String clusterId, List<StorePeer> members) {
    return RaftGroup.valueOf(
        groupId(clusterId), members.stream().map(RatisSettings::peer).toList());
  }

  static RaftPeerId peerId(String id) {
    return RaftPeerId.valueOf(id);
  }

  /** Mutual TLS for every Ratis channel: server, client and admin. */
  static Parameters tls(KeyManager keyManager, TrustManager trustManager) {
    GrpcTlsConfig tls = new GrpcTlsConfig(keyManager, trustManager, true);
    Parameters parameters = new Parameters();
    GrpcConfigKeys.TLS.setConf(parameters, tls);
    GrpcConfigKeys.Server.setTlsConf(parameters, tls);
    GrpcConfigKeys.Client.setTlsConf(parameters, tls);
    GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
    return parameters;
  }

  /** Properties a client needs; servers start from these too. */
  static RaftProperties clientProperties(RaftTuning tuning) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(tuning.requestTimeout().toMillis()));
    return p;
  }

  static TimeDuration millis(long ms) {
    return TimeDuration.valueOf(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
