package voicecall.app.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything configurable under {@code voicecall.*}. Bound once at start and validated: a wrong
 * value stops the start with a message naming the property instead of failing mid-call. Each
 * capability adds its own nested record here.
 *
 * @param database our database settings (the connection itself is {@code spring.r2dbc.*})
 */
@Validated
@ConfigurationProperties("voicecall")
public record VoiceCallProperties(@Valid @DefaultValue Database database) {

  /**
   * Database settings that are ours.
   *
   * @param migrationTimeout how long the start may wait for the schema migration before failing
   */
  public record Database(@NotNull @DefaultValue("60s") Duration migrationTimeout) {

    /** Rejects a non-positive timeout, which would make every start fail. */
    public Database {
      if (migrationTimeout.isNegative() || migrationTimeout.isZero()) {
        throw new IllegalArgumentException(
            "voicecall.database.migration-timeout must be positive, was " + migrationTimeout);
      }
    }
  }
}
