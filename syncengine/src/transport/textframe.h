// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

namespace objectsync::transport {

/*!
 * \a payload (UTF-8 text) as one complete, unmasked WebSocket text frame (RFC 6455 5.2:
 * FIN set, opcode 1, the shortest length encoding), ready to be written to any number of
 * client sockets as it is. A server never masks what it sends.
 */
QByteArray textFrame(const QByteArray &payload);

/*!
 * Builds the frame of the same payload once for all the clients it goes to: the hub hands the
 * same message (the same shared QByteArray data) to every subscriber in turn, so remembering
 * the last one is enough.
 */
class TextFrameCache
{
public:
    const QByteArray &frame(const QByteArray &payload);

private:
    QByteArray m_payload; //!< kept alive so that its data pointer identifies it
    QByteArray m_frame;
};

} // namespace objectsync::transport
