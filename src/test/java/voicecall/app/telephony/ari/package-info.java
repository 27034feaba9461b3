/** Tests of {@code voicecall.app.telephony.ari}. */
@NullMarked
package voicecall.app.telephony.ari;

import org.jspecify.annotations.NullMarked;
