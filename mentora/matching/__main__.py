import sys

from mentora.matching.cli import main

sys.exit(main())
