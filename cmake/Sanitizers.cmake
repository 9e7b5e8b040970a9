# ASan + UBSan for the dev/CI build. Applied globally so libraries and tests agree on the runtime.
if(OPTGUARD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
