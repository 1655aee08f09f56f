# The model: values, changes, topics, transitions, history, object tree, serialization.
target_sources(objectsync_model PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/jsonutil.h
  ${CMAKE_CURRENT_LIST_DIR}/engine_p.h
  ${CMAKE_CURRENT_LIST_DIR}/error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/change.cpp
  ${CMAKE_CURRENT_LIST_DIR}/topic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/valuechange.h
  ${CMAKE_CURRENT_LIST_DIR}/valuechange.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stringtopic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/enginetopics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/replayscope.cpp
  ${CMAKE_CURRENT_LIST_DIR}/objecttree.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sobject.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history.cpp
  ${CMAKE_CURRENT_LIST_DIR}/serialization.cpp
)
