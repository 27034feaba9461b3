package voicecall.app.telephony.agi;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.SetContextCommand;
import org.asteriskjava.fastagi.command.SetExtensionCommand;
import org.asteriskjava.fastagi.command.SetPriorityCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import voicecall.app.logging.CallLogContext;
import voicecall.app.telephony.CallOrigin;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.TcpListener;
import voicecall.app.telephony.TransferPlan;
import voicecall.app.telephony.Transfers;

/**
 * One FastAGI connection: collects the header block, then runs the call script one command at a
 * time: {@code ANSWER}, then {@code EXEC AudioSocket <uuid>,<host:port>} so the media lands on our
 * AudioSocket server joined by the UUID (which also carries the channel's language there). When the
 * AudioSocket leg is over the script ends and the socket is closed, and Asterisk continues the
 * dialplan; when the engine ended the media leg to hand the caller to a person, the session first
 * sets the channel variables for the agent and the dialplan location to continue at. A {@code
 * HANGUP} line from Asterisk closes the socket at once: Asterisk keeps the channel alive until the
 * AGI server closes.
 *
 * <p>Confined to the channel's event loop (lines and the reply timeout run there).
 */
final class AgiSession implements TcpListener.Session<String> {

  private static final Logger log = LoggerFactory.getLogger(AgiSession.class);
  private static final int MAX_HEADER_LINES = 64;

  private final Channel channel;
  private final CallRegistry registry;
  private final Transfers transfers;
  private final String audioSocketAddress;
  private final Duration commandTimeout;
  private final List<String> headerLines = new ArrayList<>();
  private @Nullable AgiRequestHeader header;
  private Sinks.@Nullable One<AgiResponse> pending;
  private boolean inUsage;
  private String id = "";
  private Disposable script = () -> {};

  AgiSession(
      Channel channel,
      CallRegistry registry,
      Transfers transfers,
      String audioSocketAddress,
      Duration commandTimeout) {
    this.channel = channel;
    this.registry = registry;
    this.transfers = transfers;
    this.audioSocketAddress = audioSocketAddress;
    this.commandTimeout = commandTimeout;
  }

  @Override
  public void onMessage(String raw) {
    String line = raw.strip();
    if (header == null) {
      collectHeader(line);
      return;
    }
    if ("HANGUP".equals(line)) {
      logged(() -> log.info("Asterisk reports the caller hung up; closing the AGI session"));
      close();
      return;
    }
    if (inUsage) {
      inUsage = !line.startsWith("520 ");
      if (!inUsage) {
        reply(new AgiResponse(520, "", "usage"));
      }
      return;
    }
    if (line.startsWith("520-")) {
      inUsage = true;
      return;
    }
    if (line.isEmpty()) {
      return;
    }
    try {
      reply(AgiResponse.parse(line));
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
    }
  }

  @Override
  public void onError(Throwable error) {
    logged(() -> log.warn("closing AGI connection: {}", error.toString()));
    close();
  }

  @Override
  public void onClose() {
    script.dispose();
    Sinks.@Nullable One<AgiResponse> p = pending;
    pending = null;
    if (p != null) {
      p.tryEmitError(new IllegalStateException("AGI connection closed"));
    }
  }

  private void collectHeader(String line) {
    if (!line.isEmpty()) {
      if (headerLines.size() >= MAX_HEADER_LINES) {
        fail("AGI header longer than " + MAX_HEADER_LINES + " lines");
        return;
      }
      headerLines.add(line);
      return;
    }
    AgiRequestHeader h;
    try {
      h = AgiRequestHeader.parse(headerLines);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
      return;
    }
    header = h;
    id = CallRegistry.newCallId().toString();
    logged(
        () ->
            log.info(
                "AGI session for channel {} (script {}, language {})",
                h.channel(),
                h.get("network_script", h.get("request", "?")),
                h.language()));
    Disposable expectation =
        registry.expect(
            id, h.language(), new CallOrigin("fastagi", h.channel(), h.get("uniqueid", "")));
    script =
        run()
            .contextWrite(CallLogContext.of(id))
            .doFinally(s -> expectation.dispose())
            .subscribe(
                v -> {},
                e -> {
                  logged(() -> log.warn("AGI script stopped: {}", e.getMessage()));
                  close();
                },
                () -> {
                  logged(() -> log.info("AGI script done; Asterisk continues the dialplan"));
                  close();
                });
  }

  /**
   * The call script: answer, stream the media through our AudioSocket server, and when the engine
   * ended the media leg asking for a person, move the caller on.
   */
  private Mono<Void> run() {
    return command(new AnswerCommand())
        .then(
            // Asterisk replies to EXEC AudioSocket only when the media leg ends, so it waits for
            // the call, not for the command timeout
            untimed(new ExecCommand("AudioSocket", id + "," + audioSocketAddress))
                .onErrorResume(
                    e -> {
                      registry
                          .takeTransfer(id)
                          .ifPresent(
                              r ->
                                  transfers.cannot(
                                      "fastagi",
                                      id,
                                      "the AudioSocket leg failed: " + e.getMessage()));
                      return Mono.error(e);
                    }))
        .then(Mono.defer(this::transferIfAsked));
  }

  /**
   * Sets the channel variables the agent's screen reads, then the dialplan location where Asterisk
   * continues once this script ends (context, extension, then priority: the order in which Asterisk
   * applies a priority to the new location). A refused destination sends nothing, so the dialplan
   * goes on after {@code AGI()} and the call ends.
   */
  private Mono<Void> transferIfAsked() {
    return registry
        .takeTransfer(id)
        .map(
            request ->
                transfers
                    .carryOut(
                        "fastagi",
                        request,
                        plan -> {
                          Mono<AgiResponse> commands = Mono.empty();
                          for (TransferPlan.Variable v : plan.variables()) {
                            commands =
                                commands.then(command(new SetVariableCommand(v.name(), v.value())));
                          }
                          return commands
                              .then(command(new SetContextCommand(plan.context())))
                              .then(command(new SetExtensionCommand(plan.extension())))
                              .then(
                                  command(new SetPriorityCommand(String.valueOf(plan.priority()))))
                              .then();
                        })
                    .then())
        .orElseGet(Mono::empty);
  }

  /** Sends one command and waits for its reply; a reply other than success is an error. */
  Mono<AgiResponse> command(AgiCommand command) {
    return untimed(command)
        .timeout(
            commandTimeout,
            Mono.error(
                () ->
                    new TimeoutException(
                        "no reply to " + command.buildCommand() + " within " + commandTimeout)));
  }

  /**
   * Sends one command and waits for its reply as long as the connection lasts (Asterisk closes it
   * when the channel hangs up); a reply other than success is an error.
   */
  private Mono<AgiResponse> untimed(AgiCommand command) {
    return Mono.defer(
            () -> {
              if (pending != null) {
                return Mono.error(new IllegalStateException("an AGI command is still running"));
              }
              Sinks.One<AgiResponse> reply = Sinks.one();
              pending = reply;
              String text = command.buildCommand();
              logged(() -> log.debug("AGI > {}", text));
              channel
                  .writeAndFlush(text + "\n")
                  .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
              return reply.asMono();
            })
        .flatMap(
            r ->
                r.succeeded()
                    ? Mono.just(r)
                    : Mono.error(
                        new IllegalStateException(
                            command.buildCommand() + " failed: " + r.status() + " " + r.data())));
  }

  private void reply(AgiResponse response) {
    Sinks.@Nullable One<AgiResponse> p = pending;
    pending = null;
    if (p == null) {
      fail("unexpected AGI line with no command pending: " + response);
      return;
    }
    p.tryEmitValue(response);
  }

  private void fail(@Nullable String problem) {
    logged(() -> log.warn("closing AGI connection from {}: {}", channel.remoteAddress(), problem));
    close();
  }

  private void close() {
    // Closing is best effort: a close that fails leaves a dead socket Netty reaps anyway.
    ChannelFuture unused = channel.close();
  }

  private void logged(Runnable logging) {
    if (id.isEmpty()) {
      logging.run();
      return;
    }
    MDC.put(CallLogContext.KEY, id);
    try {
      logging.run();
    } finally {
      MDC.remove(CallLogContext.KEY);
    }
  }
}
