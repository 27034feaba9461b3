package voicecall.app.telephony.agi;

import io.netty.channel.Channel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;
import reactor.netty.tcp.TcpServer;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.TcpListener;
import voicecall.app.telephony.Transfers;

/**
 * The FastAGI server on Reactor Netty (default port 4573): one {@link AgiSession} per connection,
 * lines in and out, nothing blocking. Starts and stops with the application.
 */
public final class AgiServer extends TcpListener<String> {

  private static final int MAX_LINE = 8192;

  private final VoiceCallProperties.FastAgi config;
  private final CallRegistry registry;
  private final Transfers transfers;

  /**
   * A server, not yet listening.
   *
   * @param config where to listen, where Asterisk reaches our AudioSocket server, timeouts
   * @param registry where AGI sessions announce the calls they start
   * @param transfers where callers who asked for a person may go
   */
  public AgiServer(VoiceCallProperties.FastAgi config, CallRegistry registry, Transfers transfers) {
    super("FastAGI", TcpServer.create().host(config.host()).port(config.port()), String.class);
    this.config = config;
    this.registry = registry;
    this.transfers = transfers;
  }

  @Override
  protected void installCodec(Channel channel) {
    channel
        .pipeline()
        .addFirst("agi-string-encoder", new StringEncoder(StandardCharsets.UTF_8))
        .addFirst("agi-string-decoder", new StringDecoder(StandardCharsets.UTF_8))
        .addFirst("agi-lines", new LineBasedFrameDecoder(MAX_LINE));
  }

  @Override
  protected Session<String> newSession(Channel channel) {
    return new AgiSession(
        channel, registry, transfers, config.audioSocketAddress(), config.commandTimeout());
  }
}
