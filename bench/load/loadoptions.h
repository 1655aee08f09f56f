// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QUrl>

/*! Everything the load tool can be told on its command line. */
struct LoadOptions
{
    enum class Scenario { Throughput, Tree, Swarm, Rooms };
    Scenario scenario = Scenario::Throughput;
    QUrl url = QUrl(QStringLiteral("ws://127.0.0.1:8765"));
    qint64 hostPid = 0; //!< report this process's memory
    int rooms = 0;      //!< > 0: rooms 1..rooms, the URL's path with the number appended
    int setupTimeoutS = 60;

    // throughput
    int subscribers = 1;
    int writers = 1;
    double durationS = 5;
    double warmupS = 1;
    double rate = 0; //!< actions/s over all writers; 0: as fast as the window allows (swarm:
                     //!< default 20, 0 sends every update at once)
    int window = 32; //!< unanswered actions per writer at most
    QString topic;   //!< write this topic ...
    QString type = QStringLiteral("LoadObject"); //!< ... or an attribute of a new object of it
    QString attr = QStringLiteral("value");

    // tree
    int objects = 10000;
    bool populate = true; //!< create the objects first (create_object, in batches)
    int batch = 100;      //!< create_object commands per action (rooms: rooms per batch)
    bool tags = false;    //!< also load tags/<id>
    bool join = false;    //!< also load with the batched join (subscribe_many)
    int rounds = 1;       //!< loads per path; the medians are reported

    // swarm (also uses rate, topic, type and attr)
    int clients = 1000; //!< connections opened at once
    int updates = 200;  //!< set actions fanned out to all of them
};

/*! The URL of room \a room (1-based) of \a options: the URL's path (`/rooms/` when it has
 *  none) with the number appended; the URL itself when no rooms are asked for (room 0). */
QUrl roomUrl(const LoadOptions &options, int room);

/*! Parses the command line; on error prints why and returns false. */
bool parseLoadOptions(const QStringList &arguments, LoadOptions *options);
