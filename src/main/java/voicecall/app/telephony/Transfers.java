package voicecall.app.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.logging.CallLogContext;
import voicecall.engine.call.TransferRequest;

/**
 * Where callers who want a person go, shared by every adapter: turns the dialogue's {@link
 * TransferRequest} into a {@link TransferPlan} when the destination is on the allowlist (refusing
 * and logging it otherwise), cleans the channel variables the agent's screen reads, and counts
 * every outcome in {@code voicecall.transfers{adapter, result=done|refused|failed}}.
 */
public final class Transfers {

  /** The channel variable with the caller's last question. */
  public static final String QUESTION = "VOICECALL_QUESTION";

  /** The channel variable with the closest knowledge entry's id (empty when there was none). */
  public static final String ENTRY_ID = "VOICECALL_ENTRY_ID";

  /** The channel variable with the engine's call id (the AudioSocket UUID). */
  public static final String CALL_ID = "VOICECALL_CALL_ID";

  private static final Logger log = LoggerFactory.getLogger(Transfers.class);

  private final VoiceCallProperties.Transfer config;
  private final MeterRegistry meters;
  private final @Nullable CallerRedirect plainCalls;

  /**
   * Transfers under a configuration, with no way to move plain AudioSocket callers.
   *
   * @param config destination, allowlist and variable length
   * @param meters where the transfer counter goes
   */
  public Transfers(VoiceCallProperties.Transfer config, MeterRegistry meters) {
    this(config, meters, null);
  }

  /**
   * Transfers under a configuration.
   *
   * @param config destination, allowlist and variable length
   * @param meters where the transfer counter goes
   * @param plainCalls moves callers whose call no FastAGI/ARI session controls (AMI), or null
   */
  public Transfers(
      VoiceCallProperties.Transfer config,
      MeterRegistry meters,
      @Nullable CallerRedirect plainCalls) {
    this.config = config;
    this.meters = meters;
    this.plainCalls = plainCalls;
    if (!allows(config.context(), config.extension())) {
      log.warn(
          "the default transfer destination {},{} is not in voicecall.transfer.allowed-*:"
              + " every transfer will be refused",
          config.context(),
          config.extension());
    }
  }

  /**
   * Carries out a transfer to the configured destination: plans it, runs the adapter's action, logs
   * and counts the outcome. A refused destination runs nothing.
   *
   * @param adapter the adapter's name for the metric ({@code fastagi}, {@code ari}, {@code ami})
   * @param request the dialogue's request
   * @param action what the adapter does with an allowed plan
   * @return true when the caller was handed on, false when refused or failed (never an error)
   */
  public Mono<Boolean> carryOut(
      String adapter, TransferRequest request, Function<TransferPlan, Mono<Void>> action) {
    return carryOut(
        adapter, request, config.context(), config.extension(), config.priority(), action);
  }

  /**
   * Carries out a transfer to an explicit destination, which must be on the allowlist.
   *
   * @param adapter the adapter's name for the metric
   * @param request the dialogue's request
   * @param context dialplan context
   * @param extension extension
   * @param priority priority
   * @param action what the adapter does with an allowed plan
   * @return true when the caller was handed on, false when refused or failed (never an error)
   */
  public Mono<Boolean> carryOut(
      String adapter,
      TransferRequest request,
      String context,
      String extension,
      int priority,
      Function<TransferPlan, Mono<Void>> action) {
    return Mono.defer(
        () -> {
          Optional<TransferPlan> plan = plan(request, context, extension, priority);
          if (plan.isEmpty()) {
            logged(
                request.callId(),
                () ->
                    log.warn(
                        "transfer to {},{},{} refused: not in voicecall.transfer.allowed-*;"
                            + " the call just ends",
                        context,
                        extension,
                        priority));
            count(adapter, "refused");
            return Mono.just(false);
          }
          TransferPlan p = plan.get();
          return action
              .apply(p)
              .then(
                  Mono.fromSupplier(
                      () -> {
                        logged(
                            p.callId(),
                            () ->
                                log.info(
                                    "caller transferred to {},{},{} via {} ({})",
                                    p.context(),
                                    p.extension(),
                                    p.priority(),
                                    adapter,
                                    request.reason()));
                        count(adapter, "done");
                        return true;
                      }))
              .onErrorResume(
                  e -> {
                    logged(
                        p.callId(),
                        () -> log.warn("transfer via {} failed: {}", adapter, e.toString()));
                    count(adapter, "failed");
                    return Mono.just(false);
                  });
        });
  }

  /**
   * Moves a caller whose call no FastAGI or ARI session controls (a plain AudioSocket call), with
   * the {@link CallerRedirect} given at construction (counted as adapter {@code ami}); without one,
   * the transfer is counted as failed and the call just ends.
   *
   * @param request the dialogue's request
   * @return completes when the caller was moved or the transfer was given up; never an error
   */
  public Mono<Void> movePlainCall(TransferRequest request) {
    CallerRedirect redirect = plainCalls;
    if (redirect == null) {
      cannot(
          "audiosocket",
          request.callId(),
          "a plain AudioSocket call has no AGI/ARI session and voicecall.ami.host is not set;"
              + " the call ends");
      return Mono.empty();
    }
    return carryOut("ami", request, redirect::redirect).then();
  }

  /**
   * Counts and logs a transfer the engine could not even attempt (e.g. no adapter can move this
   * kind of call).
   *
   * @param adapter the adapter's name for the metric
   * @param callId the call
   * @param why what was missing
   */
  public void cannot(String adapter, String callId, String why) {
    logged(callId, () -> log.warn("transfer not possible via {}: {}", adapter, why));
    count(adapter, "failed");
  }

  /**
   * Plans a transfer, when the destination is allowed.
   *
   * @param request the dialogue's request
   * @param context dialplan context
   * @param extension extension
   * @param priority priority
   * @return the plan, or empty when the destination is not on the allowlist
   */
  public Optional<TransferPlan> plan(
      TransferRequest request, String context, String extension, int priority) {
    if (priority < 1 || !allows(context, extension)) {
      return Optional.empty();
    }
    int max = config.maxVariableLength();
    String entry = request.entryId();
    return Optional.of(
        new TransferPlan(
            request.callId(),
            context,
            extension,
            priority,
            List.of(
                new TransferPlan.Variable(QUESTION, clean(request.question(), max)),
                new TransferPlan.Variable(ENTRY_ID, entry == null ? "" : clean(entry, max)),
                new TransferPlan.Variable(CALL_ID, clean(request.callId(), max)))));
  }

  /**
   * Whether a destination is on the allowlist.
   *
   * @param context dialplan context
   * @param extension extension
   * @return true when both are allowed
   */
  public boolean allows(String context, String extension) {
    return config.allowedContexts().contains(context)
        && config.allowedExtensions().contains(extension);
  }

  /**
   * A value safe for every transport (an AGI command line, an AMI header, a URL parameter) and for
   * the dialplan: control characters and line breaks become spaces, quotes and backslashes go, runs
   * of spaces shrink to one, and the result is cut to {@code max} characters without splitting a
   * character.
   *
   * @param value what the caller said, an entry id, a call id
   * @param max the longest result, in code points
   * @return the cleaned value
   */
  static String clean(String value, int max) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), max));
    int kept = 0;
    boolean space = false;
    for (int i = 0; i < value.length() && kept < max; ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      if (c == '"' || c == '\'' || c == '`' || c == '\\') {
        continue;
      }
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        space = kept > 0;
        continue;
      }
      if (space) {
        if (kept + 1 >= max) {
          break;
        }
        out.append(' ');
        kept++;
        space = false;
      }
      out.appendCodePoint(c);
      kept++;
    }
    return out.toString();
  }

  private void count(String adapter, String result) {
    Counter.builder("voicecall.transfers")
        .description("transfers to a person, by adapter and result (done, refused, failed)")
        .tag("adapter", adapter)
        .tag("result", result)
        .register(meters)
        .increment();
  }

  private static void logged(String callId, Runnable logging) {
    String before = MDC.get(CallLogContext.KEY);
    MDC.put(CallLogContext.KEY, callId);
    try {
      logging.run();
    } finally {
      if (before == null) {
        MDC.remove(CallLogContext.KEY);
      } else {
        MDC.put(CallLogContext.KEY, before);
      }
    }
  }
}
