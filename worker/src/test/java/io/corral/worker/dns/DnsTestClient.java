package io.corral.worker.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A DNS client made of netty's codec, asking from a chosen source address (the "task"). */
final class DnsTestClient implements AutoCloseable {
  /** What a test looks at in a response. */
  record Result(
      DnsResponseCode code,
      boolean truncated,
      boolean authoritative,
      List<String> addresses,
      boolean edns) {}

  private final EventLoopGroup group = new NioEventLoopGroup(1);

  Result udp(InetSocketAddress server, InetAddress from, String name, DnsRecordType type)
      throws Exception {
    return udp(server, from, name, type, -1);
  }

  /** One query over UDP; {@code ednsPayload} >= 0 adds an OPT record announcing it. */
  Result udp(
      InetSocketAddress server, InetAddress from, String name, DnsRecordType type, int ednsPayload)
      throws Exception {
    CompletableFuture<Result> result = new CompletableFuture<>();
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    c.pipeline()
                        .addLast(
                            new DatagramDnsQueryEncoder(),
                            new DatagramDnsResponseDecoder(),
                            collector(result));
                  }
                })
            .bind(new InetSocketAddress(from, 0))
            .sync()
            .channel();
    try {
      DatagramDnsQuery q =
          new DatagramDnsQuery(null, server, ThreadLocalRandom.current().nextInt(65536));
      fill(q, name, type, ednsPayload);
      ch.writeAndFlush(q).sync();
      return result.get(10, TimeUnit.SECONDS);
    } finally {
      ch.close().sync();
    }
  }

  /** One query over TCP. */
  Result tcp(InetSocketAddress server, InetAddress from, String name, DnsRecordType type)
      throws Exception {
    CompletableFuture<Result> result = new CompletableFuture<>();
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .localAddress(new InetSocketAddress(from, 0))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    c.pipeline()
                        .addLast(
                            new TcpDnsQueryEncoder(),
                            new TcpDnsResponseDecoder(),
                            collector(result));
                  }
                })
            .connect(server)
            .sync()
            .channel();
    try {
      DefaultDnsQuery q = new DefaultDnsQuery(ThreadLocalRandom.current().nextInt(65536));
      fill(q, name, type, -1);
      ch.writeAndFlush(q).sync();
      return result.get(10, TimeUnit.SECONDS);
    } finally {
      ch.close().sync();
    }
  }

  private static void fill(DnsQuery q, String name, DnsRecordType type, int ednsPayload) {
    q.setRecursionDesired(true);
    q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
    if (ednsPayload >= 0) {
      q.addRecord(DnsSection.ADDITIONAL, new OptRecord(ednsPayload));
    }
  }

  private static SimpleChannelInboundHandler<DnsResponse> collector(
      CompletableFuture<Result> result) {
    return new SimpleChannelInboundHandler<>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, DnsResponse r) {
        result.complete(summary(r));
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.completeExceptionally(cause);
      }
    };
  }

  static Result summary(DnsResponse r) {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < r.count(DnsSection.ANSWER); i++) {
      DnsRecord rec = r.recordAt(DnsSection.ANSWER, i);
      if (rec.type() == DnsRecordType.A && rec instanceof DnsRawRecord raw) {
        byte[] b = new byte[4];
        raw.content().getBytes(raw.content().readerIndex(), b);
        try {
          addresses.add(InetAddress.getByAddress(b).getHostAddress());
        } catch (java.net.UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    boolean edns = false;
    for (int i = 0; i < r.count(DnsSection.ADDITIONAL); i++) {
      edns |= r.recordAt(DnsSection.ADDITIONAL, i).type() == DnsRecordType.OPT;
    }
    return new Result(r.code(), r.isTruncated(), r.isAuthoritativeAnswer(), addresses, edns);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
