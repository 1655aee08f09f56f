// SPDX-License-Identifier: MIT
// The test of the inspector's models against a live engine. Its test functions are defined in
// tst_inspectormodels.cpp (the object tree, its filter, drag and drop) and
// tst_inspectormodels_tables.cpp (the attribute table, the transition log, the clients table)
// and tst_inspectormodels_topics.cpp (the topics table).
#pragma once

#include <QCoreApplication>
#include <QObject>

class TstInspectorModels : public QObject
{
    Q_OBJECT
private slots:
    void treeModelUnderRandomActivity_data();
    void treeModelUnderRandomActivity();
    void treeModelLoadsLazilyUnderRandomActivity();
    void treeModelBatchesOneTurn();
    void treeModelKeepsPersistentIndexesOnMoves();
    void treeModelFetchWhileUpdatesPending();
    void modelsSwitchEngines();
    void dropMovesObjects();
    void dropRefusesCycles();
    void filterByIdTypeAndValue();
    void attributeModelUnderRandomActivity();
    void attributeModelEdits_data();
    void attributeModelEdits();
    void attributeModelRefusedEdit();
    void transitionLogIsBoundedAndPausable();
    void transitionLogSummaries();
    void clientModelTracksClients();
    void topicModelUnderRandomActivity();
    void topicModelLastChangeAndValues();
    void topicModelEditsAndReadOnlySystemTopics();
    void topicModelSubscriberCounts();
    void topicModelSwitchesEngines();
    void attributeEntriesUnderRandomActivity();
    void attributeEntryEditsAreFineGrained();
};

namespace inspectortest {

/*! Runs the event loop twice, so that the models apply the updates they queued. */
inline void processTurn()
{
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
}

} // namespace inspectortest
