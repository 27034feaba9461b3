/**
 * The ARI client: follows a Stasis application's events over a WebSocket (reconnecting with
 * backoff), and for each call creates an AudioSocket external media channel and a mixing bridge so
 * the media reaches our AudioSocket server; forwards DTMF, cleans up on hang-up and can transfer.
 */
@NullMarked
package voicecall.app.telephony.ari;

import org.jspecify.annotations.NullMarked;
