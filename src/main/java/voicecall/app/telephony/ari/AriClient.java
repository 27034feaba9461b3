package voicecall.app.telephony.ari;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.logging.CallLogContext;
import voicecall.app.telephony.CallOrigin;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.TransferPlan;
import voicecall.app.telephony.Transfers;
import voicecall.engine.call.HangupCause;
import voicecall.engine.call.TransferRequest;

/**
 * Drives calls that the dialplan hands to the Stasis application ({@code Stasis(voiceengine)}). For
 * each caller channel: answer, create a mixing bridge, create an external media channel with
 * AudioSocket encapsulation (its UUID joins it to our AudioSocket server, where the call pipeline
 * runs), and bridge both once the media channel has entered Stasis. DTMF events are forwarded to
 * the call; a caller hang-up ends the call and removes the media channel and bridge; when the
 * engine ends the media leg the caller is hung up, unless it was transferred with {@link #transfer}
 * or the engine ended the leg asking for a person: then the caller's channel gets the agent's
 * variables ({@code POST /channels/{id}/variable}) and continues in the dialplan at the configured
 * destination ({@code POST /channels/{id}/continue}). The event WebSocket reconnects with
 * exponential backoff when Asterisk restarts.
 */
public final class AriClient implements SmartLifecycle {

  /** Prefix of the ids of our external media channels. */
  static final String MEDIA_PREFIX = "vcmedia-";

  private static final Logger log = LoggerFactory.getLogger(AriClient.class);
  private static final Duration REST_TIMEOUT = Duration.ofSeconds(5);

  private final VoiceCallProperties.Ari config;
  private final URI base;
  private final CallRegistry registry;
  private final Transfers transfers;
  private final JsonMapper json;
  private final WebClient rest;
  private final HttpClient http;
  private final String authorization;
  private final Map<String, AriCall> byChannel = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Disposable events = Disposables.disposed();
  private volatile boolean running;

  /** One call's ARI resources. */
  private static final class AriCall {
    final String id;
    final String callerChannel;
    final String mediaChannel;
    final Disposable expectation;
    volatile boolean transferred;

    AriCall(String id, String callerChannel, Disposable expectation) {
      this.id = id;
      this.callerChannel = callerChannel;
      this.mediaChannel = MEDIA_PREFIX + id;
      this.expectation = expectation;
    }
  }

  /**
   * A client, not yet connected.
   *
   * @param config the ARI settings; {@code url} must be set
   * @param registry where the calls this client starts are announced
   * @param transfers where callers who asked for a person may go
   * @param json the JSON mapper
   * @param http the Reactor Netty client the REST calls and the WebSocket share
   */
  public AriClient(
      VoiceCallProperties.Ari config,
      CallRegistry registry,
      Transfers transfers,
      JsonMapper json,
      HttpClient http) {
    URI url = config.url();
    if (url == null) {
      throw new IllegalArgumentException("voicecall.ari.url is not set");
    }
    this.config = config;
    this.base = url;
    this.registry = registry;
    this.transfers = transfers;
    this.json = json;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
    this.rest =
        WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(http))
            .baseUrl(url.toString().replaceAll("/+$", "") + "/ari")
            .defaultHeader(HttpHeaders.AUTHORIZATION, authorization)
            .build();
    this.http = http;
  }

  @Override
  public void start() {
    running = true;
    events =
        Flux.defer(this::connectOnce)
            // a clean close is a lost connection too: Asterisk went away
            .concatWith(Mono.error(() -> new IllegalStateException("ARI event socket closed")))
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, config.reconnectMin())
                    .maxBackoff(config.reconnectMax())
                    .transientErrors(true)
                    .filter(e -> running)
                    .doBeforeRetry(
                        s ->
                            log.warn(
                                "ARI event socket lost ({}); reconnecting",
                                s.failure().getMessage())))
            .subscribe(v -> {}, e -> log.info("ARI client stopped: {}", e.getMessage()));
  }

  private Flux<Void> connectOnce() {
    String ws =
        UriComponentsBuilder.fromUri(base)
            .scheme("https".equals(base.getScheme()) ? "wss" : "ws")
            .path("/ari/events")
            .queryParam("app", config.app())
            .build()
            .toUriString();
    return http.headers(h -> h.set(HttpHeaders.AUTHORIZATION, authorization))
        .websocket()
        .uri(ws)
        .handle(
            (in, out) -> {
              log.info("ARI event socket connected to {} (app {})", base, config.app());
              connections.incrementAndGet();
              return in.receive().asString().flatMap(this::onEvent, 256);
            });
  }

  /** Returns how many times the event socket has connected (for monitoring and tests). */
  public int connectionCount() {
    return connections.get();
  }

  Mono<Void> onEvent(String text) {
    AriEvent event;
    try {
      event = AriEvent.parse(json, text);
    } catch (RuntimeException e) {
      log.warn("ignoring an ARI event that cannot be read: {}", e.getMessage());
      return Mono.empty();
    }
    String channel = event.channelId();
    return switch (event.type()) {
      case "StasisStart" ->
          channel.startsWith(MEDIA_PREFIX) ? mediaEntered(channel) : callerEntered(event);
      case "ChannelDtmfReceived" -> dtmf(event);
      case "ChannelHangupRequest" -> callerLeft(channel);
      case "StasisEnd" ->
          channel.startsWith(MEDIA_PREFIX) ? mediaLeft(channel) : callerLeft(channel);
      default -> Mono.empty();
    };
  }

  private Mono<Void> callerEntered(AriEvent event) {
    String id = CallRegistry.newCallId().toString();
    String language = event.language().isEmpty() ? "en" : event.language();
    CallOrigin origin = new CallOrigin("ari", event.channelId(), "");
    AriCall call = new AriCall(id, event.channelId(), registry.expect(id, language, origin));
    byChannel.put(call.callerChannel, call);
    byChannel.put(call.mediaChannel, call);
    log.info("ARI call on channel {} ({}) gets media id {}", call.callerChannel, language, id);
    return post("/channels/{id}/answer", Map.of("id", call.callerChannel))
        .then(post("/bridges?type=mixing&bridgeId={id}", Map.of("id", id)))
        .then(
            post(
                "/channels/externalMedia?app={app}&external_host={host}&format=slin"
                    + "&encapsulation=audiosocket&transport=tcp&channelId={media}&data={id}",
                Map.of(
                    "app",
                    config.app(),
                    "host",
                    config.externalMediaHost(),
                    "media",
                    call.mediaChannel,
                    "id",
                    id)))
        .onErrorResume(
            e -> {
              log.warn(
                  "setting up media for channel {} failed: {}", call.callerChannel, e.toString());
              return cleanUp(call, true);
            })
        .contextWrite(CallLogContext.of(id));
  }

  private Mono<Void> mediaEntered(String mediaChannel) {
    AriCall call = byChannel.get(mediaChannel);
    if (call == null) {
      return delete("/channels/{id}", mediaChannel);
    }
    return post(
            "/bridges/{bridge}/addChannel?channel={caller},{media}",
            Map.of("bridge", call.id, "caller", call.callerChannel, "media", mediaChannel))
        .doOnSuccess(v -> log.info("caller and media bridged"))
        .onErrorResume(e -> cleanUp(call, true))
        .contextWrite(CallLogContext.of(call.id));
  }

  private Mono<Void> dtmf(AriEvent event) {
    AriCall call = byChannel.get(event.channelId());
    if (call == null || event.digit().length() != 1) {
      return Mono.empty();
    }
    registry.find(call.id).ifPresent(c -> c.receiveDtmf(event.digit().charAt(0)));
    return Mono.empty();
  }

  private Mono<Void> callerLeft(String callerChannel) {
    AriCall call = byChannel.get(callerChannel);
    if (call == null || !call.callerChannel.equals(callerChannel)) {
      return Mono.empty();
    }
    log.info("caller channel {} left", callerChannel);
    registry.find(call.id).ifPresent(c -> c.end(HangupCause.CALLER));
    return cleanUp(call, false).contextWrite(CallLogContext.of(call.id));
  }

  /**
   * The media leg ended (the engine hung up): hang up the caller, unless it was transferred or the
   * engine ended the leg asking for a person.
   */
  private Mono<Void> mediaLeft(String mediaChannel) {
    AriCall call = byChannel.get(mediaChannel);
    if (call == null) {
      return Mono.empty();
    }
    Optional<TransferRequest> asked = registry.takeTransfer(call.id);
    if (asked.isPresent() && !call.transferred) {
      call.transferred = true;
      return cleanUp(call, false)
          .then(transfers.carryOut("ari", asked.get(), plan -> handBack(call, plan)))
          .flatMap(done -> done ? Mono.<Void>empty() : delete("/channels/{id}", call.callerChannel))
          .contextWrite(CallLogContext.of(call.id));
    }
    return cleanUp(call, !call.transferred).contextWrite(CallLogContext.of(call.id));
  }

  /**
   * Sets the agent's channel variables on the caller, then continues it in the dialplan. Runs after
   * the media channel and the bridge are gone, so the caller leaves Stasis on its own.
   */
  private Mono<Void> handBack(AriCall call, TransferPlan plan) {
    Mono<Void> variables = Mono.empty();
    for (TransferPlan.Variable v : plan.variables()) {
      variables =
          variables.then(
              post(
                  "/channels/{id}/variable?variable={name}&value={value}",
                  Map.of("id", call.callerChannel, "name", v.name(), "value", v.value())));
    }
    return variables.then(
        continueAt(call.callerChannel, plan.context(), plan.extension(), plan.priority()));
  }

  /** {@code POST /channels/{id}/continue}: the channel leaves Stasis for a dialplan location. */
  private Mono<Void> continueAt(String channel, String context, String extension, int priority) {
    return post(
        "/channels/{id}/continue?context={context}&extension={ext}&priority={prio}",
        Map.of(
            "id", channel, "context", context, "ext", extension, "prio", String.valueOf(priority)));
  }

  private Mono<Void> cleanUp(AriCall call, boolean hangUpCaller) {
    if (!byChannel.remove(call.callerChannel, call)) {
      return Mono.empty(); // someone else is already cleaning up
    }
    byChannel.remove(call.mediaChannel, call);
    call.expectation.dispose();
    Mono<Void> caller = hangUpCaller ? delete("/channels/{id}", call.callerChannel) : Mono.empty();
    return Mono.when(
        delete("/channels/{id}", call.mediaChannel), delete("/bridges/{id}", call.id), caller);
  }

  /**
   * Hands a caller back to the dialplan, e.g. to an agent queue ({@code POST
   * /channels/{id}/continue}); the media leg is then removed without hanging up the caller.
   *
   * @param callId the call's id (the AudioSocket UUID)
   * @param context dialplan context
   * @param extension extension
   * @param priority priority
   * @return completes when Asterisk accepted it; errors when the call is unknown here or the
   *     destination is not in {@code voicecall.transfer.allowed-*}
   */
  public Mono<Void> transfer(String callId, String context, String extension, int priority) {
    if (!transfers.allows(context, extension)) {
      return Mono.error(
          new IllegalArgumentException(
              "transfer of "
                  + callId
                  + " to "
                  + context
                  + ","
                  + extension
                  + " refused: not allowed"));
    }
    return handOn(
        callId,
        call ->
            continueAt(call.callerChannel, context, extension, priority)
                .then(delete("/channels/{id}", call.mediaChannel)));
  }

  /**
   * Moves a caller to another endpoint ({@code POST /channels/{id}/redirect}).
   *
   * @param callId the call's id
   * @param endpoint e.g. {@code PJSIP/agents}
   * @return completes when Asterisk accepted it
   */
  public Mono<Void> redirect(String callId, String endpoint) {
    return handOn(
        callId,
        call ->
            post(
                "/channels/{id}/redirect?endpoint={endpoint}",
                Map.of("id", call.callerChannel, "endpoint", endpoint)));
  }

  /** Marks a call as handed on (so ending its media leg does not hang up the caller), then acts. */
  private Mono<Void> handOn(String callId, Function<AriCall, Mono<Void>> action) {
    return Mono.defer(
        () -> {
          AriCall call = findCall(callId);
          if (call == null) {
            return Mono.error(new IllegalArgumentException("no ARI call " + callId));
          }
          call.transferred = true;
          return action.apply(call);
        });
  }

  private @Nullable AriCall findCall(String callId) {
    return byChannel.get(MEDIA_PREFIX + callId);
  }

  private Mono<Void> post(String uri, Map<String, String> vars) {
    return rest.post().uri(uri, vars).retrieve().toBodilessEntity().timeout(REST_TIMEOUT).then();
  }

  private Mono<Void> delete(String uri, String id) {
    return rest.delete()
        .uri(uri, Map.of("id", id))
        .retrieve()
        .toBodilessEntity()
        .timeout(REST_TIMEOUT)
        .then()
        // already gone is fine: both sides race to clean up on a hang-up
        .onErrorResume(
            e -> {
              log.debug("DELETE {} {}: {}", uri, id, e.toString());
              return Mono.empty();
            });
  }

  @Override
  public void stop() {
    running = false;
    events.dispose();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
