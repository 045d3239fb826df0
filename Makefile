# The two commands of README.md, and a few conveniences.
.PHONY: sample test build clean-world

sample:            ## set up, then run the main job on the shipped sample world
	scripts/run-sample-world.sh

test:              ## set up, then run every test
	scripts/test.sh

build:
	swift build

clean-world:       ## forget the sample world's run: store, archive, quarantine, inbox and outbox files
	rm -rf var archive quarantine inbox/*/ outbox/*/
