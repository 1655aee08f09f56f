// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QtGlobal>

namespace objectsync::protocol {

/*! WebSocket close codes (RFC 6455, section 7.4.1) the host uses. */
namespace closecode {
inline constexpr quint16 normal = 1000;          //!< the host closed the connection on purpose
inline constexpr quint16 goingAway = 1001;       //!< the server is shutting down
inline constexpr quint16 unsupportedData = 1003; //!< a binary frame: only text is spoken
inline constexpr quint16 policyViolation = 1008; //!< too many messages, or nested too deeply
inline constexpr quint16 messageTooBig = 1009;   //!< a message over the size limit
inline constexpr quint16 internalError = 1011;   //!< the host failed
inline constexpr quint16 tryAgainLater = 1013;   //!< the client did not read fast enough
} // namespace closecode

/*! Why and how a connection is to be closed. */
struct CloseInstruction
{
    quint16 code = closecode::normal;
    QString reason;
};

/*! Per-connection limits. Going past one closes that connection only. */
struct SessionLimits
{
    qint64 maxMessageBytes = 1 << 20; //!< size of one incoming message (UTF-8); 0: no limit
    int maxDepth = 64;                //!< nesting of arrays and objects; 0: no limit
    int maxMessagesPerSecond =
        500;                      //!< sustained rate, bursts up to one second's worth; 0: no limit
    int maxPendingRequests = 256; //!< host-to-client requests waiting for their response
    /*! The batched join (`subscribe_many`): announced in the hello and answered when true. */
    bool batchedJoin = true;
    /*! Names and prefixes one `subscribe_many` may hold. */
    int maxJoinEntries = 10000;
    /*! An `init_many` is closed once it holds this many bytes (one value may go beyond). */
    qint64 maxInitManyBytes = 256 * 1024;
};

} // namespace objectsync::protocol
