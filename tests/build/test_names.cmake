# No test case name holds a semicolon. doctest_discover_tests makes one ctest test per name, and
# CMake splits a name at ";" into two tests whose filters match nothing: both pass, running no
# test case at all.
#
#   cmake "-DTESTS=<test program>;<test program>..." -P test_names.cmake
foreach(program IN LISTS TESTS)
  execute_process(COMMAND "${program}" --list-test-cases --no-version
                  OUTPUT_VARIABLE listing RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${program} --list-test-cases failed (${status})")
  endif()
  string(REPLACE ";" "<SEMICOLON>" listing "${listing}")
  string(REPLACE "\n" ";" names "${listing}")
  foreach(name IN LISTS names)
    if(name MATCHES "<SEMICOLON>")
      string(REPLACE "<SEMICOLON>" ";" name "${name}")
      message(SEND_ERROR "${program}: the test case \"${name}\" holds a semicolon, so ctest would "
                         "run none of it: use a comma")
    endif()
  endforeach()
endforeach()
