/** Tests of {@code voicecall.app.telephony.client}. */
@NullMarked
package voicecall.app.telephony.client;

import org.jspecify.annotations.NullMarked;
