package voicecall.app.telephony.audiosocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.logging.CallLogContext;
import voicecall.app.telephony.Switchboard;
import voicecall.app.telephony.TcpListener;
import voicecall.app.telephony.TelephonyMetrics;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.audio.WireFormat;
import voicecall.engine.call.Call;
import voicecall.engine.call.FrameSink;
import voicecall.engine.call.HangupCause;

/**
 * One AudioSocket connection. Confined to the channel's event loop (messages, the rate-detection
 * timer and close all run there); only the frame sink is called from the frame clock's thread, and
 * it only writes to the channel, which Netty allows from any thread.
 *
 * <p>Protocol: the id comes first; the first audio frame's kind tells the call's sample rate (or,
 * if none arrives within the detection window, the configured default); EOF, reset or a hang-up
 * message end the call as the caller's hang-up. Anything that breaks the protocol closes this
 * connection with a log line naming the call, and nothing else.
 */
final class AudioSocketSession implements FrameSink, TcpListener.Session<AudioSocketMessage> {

  private static final Logger log = LoggerFactory.getLogger(AudioSocketSession.class);

  /** Longest wait for a plain call's caller to be moved before the connection closes anyway. */
  private static final Duration RELEASE_LIMIT = Duration.ofSeconds(10);

  private final Channel channel;
  private final Switchboard switchboard;
  private final TelephonyMetrics metrics;
  private final VoiceCallProperties.AudioSocket config;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final long openedAtNanos = System.nanoTime();
  private @Nullable String id;
  private @Nullable Call call;
  private @Nullable WireFormat format;
  private int outboundKindRate;
  private boolean rateMismatchLogged;
  private @Nullable Future<?> rateTimer;

  AudioSocketSession(
      Channel channel,
      Switchboard switchboard,
      TelephonyMetrics metrics,
      VoiceCallProperties.AudioSocket config) {
    this.channel = channel;
    this.switchboard = switchboard;
    this.metrics = metrics;
    this.config = config;
  }

  @Override
  public void onMessage(AudioSocketMessage message) {
    String callId = id;
    if (callId == null) {
      if (message instanceof AudioSocketMessage.Id first) {
        identified(first.id().toString());
      } else {
        protocolError("expected the id message first, got " + describe(message));
      }
      return;
    }
    if (message instanceof AudioSocketMessage.Audio audio) {
      Call c = call;
      if (c == null) {
        c = open(audio.sampleRate());
        if (c == null) {
          return;
        }
      }
      receiveAudio(c, audio);
    } else if (message instanceof AudioSocketMessage.Dtmf dtmf) {
      Call c = call != null ? call : open(config.defaultSampleRate());
      if (c != null) {
        withCallId(() -> log.debug("DTMF {}", dtmf.key()));
        c.receiveDtmf(dtmf.key());
      }
    } else if (message instanceof AudioSocketMessage.Hangup) {
      withCallId(() -> log.info("caller sent hang-up"));
      endAndClose(HangupCause.CALLER);
    } else if (message instanceof AudioSocketMessage.ErrorReport error) {
      withCallId(() -> log.warn("Asterisk reported an error ({} bytes)", error.code().length));
    } else {
      protocolError("a second id message on call " + callId);
    }
  }

  @Override
  public void onError(Throwable error) {
    if (error instanceof DecoderException) {
      protocolError(String.valueOf(error.getMessage()));
    } else if (error instanceof IOException) {
      // a reset is how a caller's hang-up often looks from here
      withCallId(() -> log.info("connection lost: {}", error.toString()));
      endAndClose(HangupCause.CALLER);
    } else {
      // not the line: something of ours failed while handling this connection
      withCallId(() -> log.warn("call failed while handling its connection", error));
      endAndClose(HangupCause.FAILURE);
    }
  }

  @Override
  public void onClose() {
    Future<?> timer = rateTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    Call c = call;
    if (c != null) {
      c.end(HangupCause.CALLER);
    } else if (id != null) {
      withCallId(() -> log.info("connection closed before the call's media started"));
    }
  }

  @Override
  public boolean send(AudioFrame frame) {
    WireFormat f = format;
    if (f == null || !channel.isActive() || inFlight.get() >= config.maxFramesInFlight()) {
      return false;
    }
    inFlight.incrementAndGet();
    channel
        .writeAndFlush(new AudioSocketMessage.Audio(outboundKindRate, f.encode(frame)))
        .addListener(done -> inFlight.decrementAndGet());
    return true;
  }

  private void identified(String callId) {
    id = callId;
    withCallId(() -> log.info("AudioSocket call from {}", remote()));
    long delay = config.rateDetection().toNanos();
    rateTimer =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (call == null && channel.isActive()) {
                    open(config.defaultSampleRate());
                  }
                },
                delay,
                TimeUnit.NANOSECONDS);
  }

  private @Nullable Call open(int sampleRate) {
    String callId = id;
    if (callId == null) {
      throw new IllegalStateException("open before id");
    }
    if (sampleRate != 8000 && sampleRate != 16000) {
      protocolError(
          "audio at "
              + sampleRate
              + " Hz is not supported; use slin (8 kHz) or slin16 in the dial"
              + " string");
      return null;
    }
    // A FastAGI session or ARI channel that started this leg announced the channel's language.
    String language = switchboard.registry().expectedLanguage(callId).orElse(config.language());
    Call c = Call.open(callId, language, sampleRate, switchboard.clock().scheduler());
    call = c;
    format = sampleRate == 16000 ? WireFormat.SLIN_16K : WireFormat.SLIN_8K;
    outboundKindRate = sampleRate;
    c.ended().subscribe(this::ended);
    try {
      switchboard.connect(c, this);
    } catch (IllegalStateException e) {
      protocolError(String.valueOf(e.getMessage()));
      return null;
    }
    return c;
  }

  private void receiveAudio(Call c, AudioSocketMessage.Audio audio) {
    WireFormat f = format;
    if (f == null || audio.sampleRate() != c.sampleRate()) {
      if (!rateMismatchLogged) {
        rateMismatchLogged = true;
        withCallId(
            () ->
                log.warn(
                    "dropping audio at {} Hz on a {} Hz call", audio.sampleRate(), c.sampleRate()));
      }
      return;
    }
    long millis = (System.nanoTime() - openedAtNanos) / 1_000_000;
    metrics.frameIn();
    c.receiveAudio(f.decode(audio.pcm(), millis));
  }

  /**
   * The call ended: if the engine ended it, say so to Asterisk before closing; a transfer of a
   * plain AudioSocket call moves the caller first, while the connection still holds the channel.
   */
  private void ended(HangupCause cause) {
    Call c = call;
    if (cause == HangupCause.CALLER || cause == HangupCause.PROTOCOL_ERROR) {
      closeChannel();
    } else if (cause == HangupCause.TRANSFER && c != null) {
      switchboard
          .released(c)
          .timeout(RELEASE_LIMIT)
          .onErrorResume(
              e -> {
                withCallId(() -> log.warn("moving the caller took too long: {}", e.toString()));
                return Mono.empty();
              })
          .doFinally(s -> channel.eventLoop().execute(this::sayHangUpAndClose))
          .subscribe();
    } else {
      sayHangUpAndClose();
    }
  }

  private void sayHangUpAndClose() {
    if (channel.isActive()) {
      channel
          .writeAndFlush(new AudioSocketMessage.Hangup())
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void endAndClose(HangupCause cause) {
    Call c = call;
    if (c != null) {
      c.end(cause);
    }
    closeChannel();
  }

  private void closeChannel() {
    // Closing is best effort: a close that fails leaves a dead socket Netty reaps anyway.
    ChannelFuture unused = channel.close();
  }

  private void protocolError(String problem) {
    metrics.protocolError();
    withCallId(() -> log.warn("closing AudioSocket connection from {}: {}", remote(), problem));
    endAndClose(HangupCause.PROTOCOL_ERROR);
  }

  private void withCallId(Runnable logging) {
    String callId = id;
    if (callId == null) {
      logging.run();
      return;
    }
    MDC.put(CallLogContext.KEY, callId);
    try {
      logging.run();
    } finally {
      MDC.remove(CallLogContext.KEY);
    }
  }

  private @Nullable SocketAddress remote() {
    return channel.remoteAddress();
  }

  private static String describe(AudioSocketMessage m) {
    return m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " message";
  }
}
