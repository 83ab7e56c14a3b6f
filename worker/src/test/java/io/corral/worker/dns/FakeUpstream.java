package io.corral.worker.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A node's resolver, for forwarding tests: answers every A query with {@code answer} over UDP and
 * TCP (or, silent, never answers), and records the names and transports it was asked.
 */
final class FakeUpstream implements AutoCloseable {
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final List<Channel> channels = new CopyOnWriteArrayList<>();
  final List<String> asked = new CopyOnWriteArrayList<>();
  private final byte[] answer;
  private final boolean silent;
  final InetSocketAddress address;

  FakeUpstream(InetSocketAddress at, byte[] answer, boolean silent) throws Exception {
    this.answer = answer;
    this.silent = silent;
    channels.add(
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new DatagramDnsQueryDecoder(),
                            new DatagramDnsResponseEncoder(),
                            new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, DatagramDnsQuery q) {
                                asked.add("udp " + question(q).name());
                                if (!silent) {
                                  ctx.writeAndFlush(
                                      fill(
                                          q,
                                          new DatagramDnsResponse(
                                              q.recipient(),
                                              q.sender(),
                                              q.id(),
                                              q.opCode(),
                                              DnsResponseCode.NOERROR)));
                                }
                              }
                            });
                  }
                })
            .bind(at)
            .sync()
            .channel());
    channels.add(
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new TcpDnsQueryDecoder(),
                            new TcpDnsResponseEncoder(),
                            new SimpleChannelInboundHandler<DnsQuery>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
                                asked.add("tcp " + question(q).name());
                                if (!silent) {
                                  ctx.writeAndFlush(
                                      fill(
                                          q,
                                          new DefaultDnsResponse(
                                              q.id(), q.opCode(), DnsResponseCode.NOERROR)));
                                }
                              }
                            });
                  }
                })
            .bind(at)
            .sync()
            .channel());
    this.address = at;
  }

  private static DnsQuestion question(DnsQuery q) {
    return q.recordAt(DnsSection.QUESTION);
  }

  private DnsResponse fill(DnsQuery q, DnsResponse r) {
    DnsQuestion question = question(q);
    r.setRecursionAvailable(true).setRecursionDesired(q.isRecursionDesired());
    r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
    r.addRecord(
        DnsSection.ANSWER,
        new DefaultDnsRawRecord(
            question.name(), DnsRecordType.A, 300, Unpooled.wrappedBuffer(answer)));
    return r;
  }

  @Override
  public void close() {
    channels.forEach(c -> c.close().syncUninterruptibly());
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
