#!/usr/bin/env bash
# Trains on a real standalone Spark cluster on this machine, then stops it:
#   scripts/spark-cluster.sh [WORKERS] [train options...]
# Starts a standalone master and WORKERS (default 1) workers on 127.0.0.1, from Spark's jars as Maven
# Central ships them (nn-spark's runtime classpath; no separate Spark download), submits the nn
# application's -all jar with spark-submit (org.apache.spark.deploy.SparkSubmit) to it, checks that the
# run wrote its checkpoint, and stops the cluster (also when anything fails). Builds the project first
# when needed. Extra arguments go to `nn train` (default: --iterations 300 --backend ejml).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workers="${1:-1}"
[[ $# -gt 0 ]] && shift
[[ "$workers" =~ ^[1-4]$ ]] || { echo "spark-cluster: WORKERS must be 1 to 4, not '$workers'" >&2; exit 2; }
train_args=("$@")
[[ ${#train_args[@]} -gt 0 ]] || train_args=(--iterations 300 --backend ejml)

app_jar=("$root"/nn-spark-app/target/nn-spark-app-*-all.jar)
if [[ ! -f "${app_jar[0]}" || ! -f "$root/nn-spark/target/runtime.classpath" ]]; then
  echo "spark-cluster: building nnjava (mvn -B -q -DskipTests package)..." >&2
  (cd "$root" && mvn -B -q -DskipTests package)
  app_jar=("$root"/nn-spark-app/target/nn-spark-app-*-all.jar)
fi
spark_cp="$(cat "$root/nn-spark/target/runtime.classpath")"
# Spark's jars log through SLF4J 1.7 here (the version the project pins for ND4J): give them the
# simple binding the application uses, so the master's and workers' logs say what they do.
slf4j_simple="$(tr ':' '\n' <"$root/nn-examples/target/runtime.classpath" | grep '/slf4j-simple-' | head -1)"
spark_cp="$spark_cp:$slf4j_simple"
read -r -a opens <<<"$(cat "$root/nn-spark/target/java-options")"

work="$(mktemp -d "${TMPDIR:-/tmp}/nn-spark-cluster.XXXXXX")"
pids=()
stop_cluster() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_cluster EXIT

# A Spark home whose jars/ are Maven Central's: a worker builds its executors' classpath from it.
mkdir -p "$work/spark-home/jars"
IFS=':' read -r -a jars <<<"$spark_cp"
for jar in "${jars[@]}"; do ln -s "$jar" "$work/spark-home/jars/"; done
export SPARK_HOME="$work/spark-home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port="$(free_port)"
master="spark://127.0.0.1:$port"
wait_for() { # wait_for FILE PATTERN SECONDS
  for _ in $(seq 1 $(( $3 * 5 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "spark-cluster: timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; return 1
}

java "${opens[@]}" -Xmx512m -cp "$spark_cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port "$(free_port)" >"$work/master.log" 2>&1 &
pids+=($!)
wait_for "$work/master.log" "I have been elected leader" 60
echo "spark-cluster: master $master (log $work/master.log)"
for w in $(seq 1 "$workers"); do
  java "${opens[@]}" -Xmx512m -cp "$spark_cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --cores 1 --memory 3g --work-dir "$work/worker$w" --webui-port "$(free_port)" "$master" >"$work/worker$w.log" 2>&1 &
  pids+=($!)
done
for w in $(seq 1 "$workers"); do wait_for "$work/worker$w.log" "Successfully registered with master" 60; done
echo "spark-cluster: $workers worker(s) registered"

out="$work/out"
echo "spark-cluster: spark-submit --master $master --class org.nnjava.examples.NnCli $(basename "${app_jar[0]}") train --spark $master --partitions $workers ${train_args[*]} --out $out"
java "${opens[@]}" -Xmx2g -cp "${app_jar[0]}:$spark_cp" org.apache.spark.deploy.SparkSubmit --master "$master" \
  --deploy-mode client --class org.nnjava.examples.NnCli --conf spark.driver.host=127.0.0.1 \
  --conf "spark.executor.extraJavaOptions=${opens[*]}" --conf spark.executor.memory=2g \
  "${app_jar[0]}" train --spark "$master" --partitions "$workers" "${train_args[@]}" --out "$out" --quiet
[[ -s "$out/network.npz" ]] || { echo "spark-cluster: the run wrote no checkpoint in $out" >&2; exit 1; }
grep -h "Launching executor\|Executor app" "$work"/worker*.log | head -4 || true
echo "spark-cluster: OK: the checkpoint, CSV files and plot are in $out"
