package io.corral.worker.dns;

import io.corral.worker.network.EndpointTable;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's embedded DNS server for service discovery: UDP and TCP on port 53 of each address it
 * is told to listen on (a network's gateway on the node's bridge, the {@code nameserver} of that
 * network's tasks), answering cluster names from the {@link EndpointTable} through a {@link
 * Resolver} and relaying the rest to the node's own resolvers. One event-loop thread; nothing on it
 * blocks.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);

  public static final int PORT = 53;
  public static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Zero: answers change as tasks come and go, and one cached answer is enough to send a client to
   * a task that has been stopped (docker's 600 s made Swarm users hit stale answers for years,
   * moby#42833). Answers come from memory on the asker's own node, so caching them saves nothing.
   */
  static final long TTL_SECONDS = 0;

  // RFC 1035's UDP limit without EDNS; the most this server sends over UDP with it.
  static final int UDP_LIMIT = 512;
  static final int EDNS_LIMIT = 4096;
  private static final int TCP_LIMIT = 65535;
  // A TCP asker that sends nothing for this long is closed: bounds idle connections.
  private static final int TCP_IDLE_SECONDS = 30;

  private final EndpointTable table;
  private final int port;
  private final Transport transport;
  private final EventLoopGroup group;
  private final Forwarder forwarder;
  private final Map<InetAddress, List<Channel>> bound = new HashMap<>();
  private final Set<InetSocketAddress> listening = ConcurrentHashMap.newKeySet();
  private final Object rebuildLock = new Object();
  private volatile Resolver resolver;
  private volatile boolean closed;

  /**
   * A server answering from {@code table}, forwarding other names to {@code upstreams} (each tried
   * for {@code forwardTimeout}), on {@code port} (53 in production; tests use a free one).
   */
  public DnsServer(
      EndpointTable table, List<InetSocketAddress> upstreams, int port, Duration forwardTimeout) {
    this(table, upstreams, port, forwardTimeout, Transport.best());
  }

  DnsServer(
      EndpointTable table,
      List<InetSocketAddress> upstreams,
      int port,
      Duration forwardTimeout,
      Transport transport) {
    this.table = table;
    this.port = port;
    this.transport = transport;
    this.group = transport.group(1, "dns");
    this.forwarder =
        new Forwarder(group, transport, upstreams, forwardTimeout, listening::contains);
    rebuild();
    table.addListener(ids -> rebuild());
  }

  /** The production server: port 53, forwarding to the node's /etc/resolv.conf nameservers. */
  public static DnsServer forNode(EndpointTable table) {
    List<InetSocketAddress> upstreams = ResolvConf.nameservers(ResolvConf.NODE);
    if (upstreams.isEmpty()) {
      LOG.warn("{} names no nameserver: names outside the cluster get SERVFAIL", ResolvConf.NODE);
    }
    return new DnsServer(table, upstreams, PORT, FORWARD_TIMEOUT);
  }

  // Serialised so that the last build reads the table after the last change; its own lock, so a
  // table change never waits for a listen() binding sockets.
  private void rebuild() {
    synchronized (rebuildLock) {
      if (closed) {
        return; // the table outlives a closed server: stop paying for its changes
      }
      resolver = Resolver.of(table.all());
    }
  }

  /**
   * Answers on UDP and TCP {@code address}:port from now on (a network came up on this node); a
   * no-op when it already does. On epoll the sockets are bound with IP_FREEBIND, so the address
   * need not be on an interface yet. Not to be called on the server's event loop.
   *
   * @throws IllegalStateException when the address cannot be bound, with the reason
   */
  public synchronized void listen(InetAddress address) {
    if (closed) {
      throw new IllegalStateException("DNS server is closed");
    }
    if (bound.containsKey(address)) {
      return;
    }
    InetSocketAddress at = new InetSocketAddress(address, port);
    Bootstrap udp =
        new Bootstrap()
            .group(group)
            .channelFactory(transport.datagram())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new DatagramDnsQueryDecoder(), new UdpResponseEncoder(), new Udp());
                  }
                });
    ServerBootstrap tcp =
        new ServerBootstrap()
            .group(group)
            .channelFactory(transport.server())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new ReadTimeoutHandler(TCP_IDLE_SECONDS, TimeUnit.SECONDS),
                            new TcpDnsQueryDecoder(),
                            new TcpDnsResponseEncoder(),
                            new Tcp());
                  }
                });
    if (transport.epoll()) {
      udp.option(EpollChannelOption.IP_FREEBIND, true);
      tcp.option(EpollChannelOption.IP_FREEBIND, true);
    }
    List<Channel> channels = new ArrayList<>();
    try {
      channels.add(bind(udp.bind(at), at, "udp"));
      channels.add(bind(tcp.bind(at), at, "tcp"));
    } catch (RuntimeException e) {
      channels.forEach(Channel::close);
      throw e;
    }
    bound.put(address, channels);
    listening.add(at);
    LOG.info("DNS listening on {} (udp, tcp; {})", at, transport.epoll() ? "epoll" : "nio");
  }

  private static Channel bind(io.netty.channel.ChannelFuture f, InetSocketAddress at, String what) {
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IllegalStateException(
          "DNS server: cannot listen on " + what + " " + at + ": " + f.cause().getMessage(),
          f.cause());
    }
    return f.channel();
  }

  /** Stops answering on {@code address} (its network left this node); a no-op if it did not. */
  public synchronized void unlisten(InetAddress address) {
    List<Channel> channels = bound.remove(address);
    if (channels == null) {
      return;
    }
    listening.remove(new InetSocketAddress(address, port));
    channels.forEach(c -> c.close().awaitUninterruptibly());
    LOG.info("DNS no longer listening on {}:{}", address.getHostAddress(), port);
  }

  /** The addresses answered on now. */
  public synchronized Set<InetAddress> listening() {
    return Set.copyOf(bound.keySet());
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      List.copyOf(bound.keySet()).forEach(this::unlisten);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** Answers one decoded query, from the table or through the forwarder. */
  private void handle(DnsQuery query, Reply reply) {
    if (query.opCode() != DnsOpCode.QUERY) {
      reply.send(empty(query, reply, DnsResponseCode.NOTIMP, null));
      return;
    }
    if (query.count(DnsSection.QUESTION) != 1) {
      reply.send(empty(query, reply, DnsResponseCode.FORMERR, null));
      return;
    }
    DnsQuestion question = query.recordAt(DnsSection.QUESTION);
    Resolver.Answer answer =
        resolver.resolve(reply.asker().getAddress(), question.name(), question.type());
    switch (answer.kind()) {
      case FORWARD -> forwarder.forward(query, question, reply);
      case NXDOMAIN -> reply.send(authoritative(query, reply, DnsResponseCode.NXDOMAIN, question));
      case NO_DATA -> reply.send(authoritative(query, reply, DnsResponseCode.NOERROR, question));
      case ADDRESSES -> reply.send(addresses(query, reply, question, answer.addresses()));
    }
  }

  private static DnsResponse addresses(
      DnsQuery query, Reply reply, DnsQuestion question, List<Inet4Address> found) {
    List<Inet4Address> order = new ArrayList<>(found);
    // Clients mostly take the first address: a fresh order per answer spreads DNSRR load.
    Collections.shuffle(order, ThreadLocalRandom.current());
    DnsResponse r = authoritative(query, reply, DnsResponseCode.NOERROR, question);
    // netty writes every name in full (no compression), so the size is exact arithmetic.
    int size = 12 + wireLength(question.name()) + 4 + (hasOpt(query) ? 11 : 0);
    int record = wireLength(question.name()) + 10 + 4;
    int fit = Math.max(0, (reply.limit() - size) / record);
    if (fit < order.size()) {
      r.setTruncated(true);
      order = order.subList(0, fit);
    }
    for (Inet4Address a : order) {
      r.addRecord(
          DnsSection.ANSWER,
          new DefaultDnsRawRecord(
              question.name(),
              DnsRecordType.A,
              TTL_SECONDS,
              Unpooled.wrappedBuffer(a.getAddress())));
    }
    return r;
  }

  private static DnsResponse authoritative(
      DnsQuery query, Reply reply, DnsResponseCode code, DnsQuestion question) {
    DnsResponse r = empty(query, reply, code, question);
    r.setAuthoritativeAnswer(true);
    return r;
  }

  private static DnsResponse empty(
      DnsQuery query, Reply reply, DnsResponseCode code, DnsQuestion question) {
    DnsResponse r = reply.response(query.id(), query.opCode(), code);
    r.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
    if (question != null) {
      r.addRecord(
          DnsSection.QUESTION,
          new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()));
    }
    if (hasOpt(query)) {
      r.addRecord(DnsSection.ADDITIONAL, new OptRecord(EDNS_LIMIT));
    }
    return r;
  }

  private static boolean hasOpt(DnsQuery query) {
    return optPayload(query) >= 0;
  }

  /** The UDP payload size of the query's EDNS record, or -1 without one. */
  private static int optPayload(DnsQuery query) {
    for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
      DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
      if (r.type() == DnsRecordType.OPT) {
        return r.dnsClass();
      }
    }
    return -1;
  }

  /** The length of {@code name} as netty encodes it: labels with length bytes, then the root. */
  static int wireLength(String name) {
    int n = 1;
    for (String label : name.split("\\.")) {
      if (label.isEmpty()) {
        break;
      }
      n += label.length() + 1;
    }
    return n;
  }

  /** UDP: one socket per listen address; malformed datagrams are logged and dropped. */
  private final class Udp extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      int edns = optPayload(query);
      int limit = edns < 0 ? UDP_LIMIT : Math.max(UDP_LIMIT, Math.min(edns, EDNS_LIMIT));
      handle(query, new UdpReply(ctx.channel(), query.sender(), query.recipient(), limit));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A bad datagram costs the asker its answer, never the socket.
      LOG.debug("dropped a malformed DNS datagram: {}", cause.toString());
    }
  }

  /** TCP: one connection per asker, queries framed by their length; garbage closes it. */
  private final class Tcp extends SimpleChannelInboundHandler<DnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
      handle(query, new TcpReply(ctx.channel()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("closed a DNS TCP connection: {}", cause.toString());
      ctx.close();
    }
  }

  private record UdpReply(
      Channel channel, InetSocketAddress asker, InetSocketAddress local, int limit)
      implements Reply {
    @Override
    public boolean tcp() {
      return false;
    }

    @Override
    public DnsResponse response(int id, DnsOpCode opCode, DnsResponseCode code) {
      return new DatagramDnsResponse(local, asker, id, opCode, code);
    }

    @Override
    public void send(DnsResponse response) {
      channel.writeAndFlush(response);
    }

    @Override
    public void relay(ByteBuf message) {
      channel.writeAndFlush(new DatagramPacket(message, asker, local));
    }
  }

  private record TcpReply(Channel channel) implements Reply {
    @Override
    public InetSocketAddress asker() {
      return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public boolean tcp() {
      return true;
    }

    @Override
    public int limit() {
      return TCP_LIMIT;
    }

    @Override
    public DnsResponse response(int id, DnsOpCode opCode, DnsResponseCode code) {
      return new DefaultDnsResponse(id, opCode, code);
    }

    @Override
    public void send(DnsResponse response) {
      channel.writeAndFlush(response);
    }

    @Override
    public void relay(ByteBuf message) {
      // TCP frames each message with its 2-byte length (RFC 1035 4.2.2).
      ByteBuf length = channel.alloc().buffer(2).writeShort(message.readableBytes());
      channel.writeAndFlush(Unpooled.wrappedBuffer(length, message));
    }
  }

  /** Encodes responses only, so that relayed datagrams pass through untouched. */
  private static final class UdpResponseEncoder extends DatagramDnsResponseEncoder {
    @Override
    public boolean acceptOutboundMessage(Object msg) {
      return msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof DnsResponse;
    }
  }
}
