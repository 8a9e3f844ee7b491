/* model.h - the model's private structures, shared by the modules that
 * implement the world (world.c, cluster.c, pod.c, replica-set.c,
 * service.c, traffic.c, metrics.c, memory.c).  Strategies never include this:
 * they see world.h only.
 *
 * Ownership: the world owns everything.  Pods are allocated when created
 * and kept until the world is freed (a gone pod may still be referenced by
 * a stale load-balancer entry, which is exactly how `refused` happens), so
 * SimPod pointers stay valid for the whole run.  Requests come from a
 * pool with a free list; the pool grows only with the number of requests
 * in flight at once, never with simulated time.
 */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include "world.h"
#include "engine.h"
#include "rng.h"
#include "histogram.h"
#include "strategy.h"
#include "memory.h"

/* Requests are allocated in chunks (traffic.c): the first of
 * SIM_REQUEST_CHUNK_MIN, each next one as large as the pool so far, up
 * to SIM_REQUEST_CHUNK.  A small run (an experiment makes thousands)
 * then clears 4 KiB, not 256 KiB, and a large one still grows in few
 * steps. */
#define SIM_REQUEST_CHUNK_MIN 64
#define SIM_REQUEST_CHUNK 4096

/* Ordering of events at the same instant (engine class). */
enum {
    SIM_CLASS_SAMPLE = 0,    /* measurements taken before anything at t */
    SIM_CLASS_POD,           /* pod lifecycle transitions */
    SIM_CLASS_ENDPOINT,      /* load balancers learn endpoint changes */
    SIM_CLASS_DONE,          /* a request completes */
    SIM_CLASS_TIMEOUT,       /* a client gives up */
    SIM_CLASS_ARRIVAL,       /* a request arrives and is routed */
    SIM_CLASS_RS_CONTROLLER, /* ReplicaSet controller sync */
    SIM_CLASS_CONTROLLER,    /* Deployment/Rollout controller sync */
    SIM_CLASS_FINAL,         /* a sample step's row: after all else at t */
};

/* pod->accepting: whether a request sent to the pod gets in. */
enum {
    SIM_ACCEPT_NO = 0,        /* stopped accepting: refused */
    SIM_ACCEPT_YES = 1,       /* served or queued */
    SIM_ACCEPT_BLACKHOLE = 2, /* its node is down: never answered */
};

typedef enum {
    SIM_POD_PENDING,     /* not placed on a node */
    SIM_POD_PULLING,     /* placed, image being pulled */
    SIM_POD_STARTING,    /* container started, not ready yet */
    SIM_POD_BACKOFF,     /* crashed, waiting to restart */
    SIM_POD_READY,       /* readiness passed */
    SIM_POD_TERMINATING, /* deleted, shutting down */
    SIM_POD_GONE,
} SimPodPhase;

typedef struct SimPod SimPod;
typedef struct SimRequest SimRequest;
typedef struct SimHpa SimHpa;
typedef struct SimAutoscaler SimAutoscaler;

/* One of a pod's probe workers (probes.c). */
typedef struct SimPodProbe {
    SimTime phase;      /* its ticks: phase + k x period */
    SimHandle tick;     /* the next one */
    SimHandle answer;   /* a failure still to come (timeout, hang) */
    gint8 last;         /* last result: -1 none, 0 failure, 1 success */
    gint16 run;         /* consecutive results like it */
    gboolean in_flight; /* a probe waits for its answer */
    gboolean again;     /* a tick came during it: probe when answered */
    gboolean hold;      /* liveness/startup failed: no more probes
                           until the next container */
} SimPodProbe;

/* One scrape of a container's counters by the metrics pipeline. */
typedef struct SimPodScrape {
    SimTime at;
    double cpu;       /* cumulative millicore-microseconds */
    guint64 accepted; /* cumulative requests */
} SimPodScrape;

/* 64 bytes on a 64-byte boundary (the pool's chunks are aligned): a
 * request is one cache line. */
struct SimRequest {
    _Alignas(64) SimRequest *next; /* pod queue link, or free-list link */
    SimPod *pod;
    SimTime arrival;
    SimTime deadline;  /* arrival + timeout, or SIM_TIME_NEVER */
    SimHandle done;    /* completion event, while in service */
    SimHandle timeout; /* client timeout event, if scheduled */
    gint16 version;
    guint8 answered; /* the client has its outcome already */
    guint8 probe;    /* a kubelet probe (SimHealthProbeType + 1), not a
                        user's request: counted nowhere */
    guint8 kind;     /* SimTraffic: who sent it */
    guint32 user;    /* its user (user requests) */
    gint32 slot;     /* its server slot, while in service */
};

/* The slots of a pod's servers kept inside the pod; more come from
 * SimPod.more_slots. */
#define SIM_POD_INLINE_SLOTS 3

struct SimPod {
    /* Serving: every request reads and writes these (traffic.c), so they
     * come first, in the one cache line a pod starts on (pods are
     * allocated aligned to 64 bytes); with 10,000 pods a request then
     * touches one line of its pod, not three. */
    gint busy;          /* requests in service */
    gint queued;        /* requests waiting */
    gint16 version;     /* immutable */
    guint8 accepting;   /* SIM_ACCEPT_* */
    guint8 inline_free; /* bit i: slots[i] is free */
    guint64 accepted;   /* requests it took, served or queued: its CPU
                           (resource-use.c) */
    double slowdown;    /* service times are this much longer (>= 1):
                           throttled by cpu_limit */
    /* The FIFO of waiting requests, a ring through their next links:
     * qtail is the last, qtail->next the first; NULL when empty. */
    SimRequest *qtail;
    /* The `concurrency` server slots: the first ones here, the others in
     * more_slots; sim_pod_slot() finds one. */
    SimRequest *slots[SIM_POD_INLINE_SLOTS];

    guint id;
    char name[64];
    SimReplicaSet *rs;
    SimPodPhase phase;
    gint node; /* -1 while unscheduled */
    SimTime created;
    SimTime ready_since; /* -1 when not ready */
    gboolean available;
    gboolean ever_ready;
    gboolean terminating; /* deletion started */
    gboolean stalled;     /* its node is down: nothing runs, nothing
                             happens until the node is back */
    gboolean node_lost;   /* marked not ready by the node lifecycle
                             controller (phase Unknown for ranking) */
    gint restarts;
    gint pull_failures; /* ErrImagePull so far (pull = fail) */
    gboolean unschedulable_reported;
    SimHandle timer; /* the pending lifecycle event */
    SimTime kill_at; /* end of the grace period */

    /* Load balancers: index in the world's endpoint list of this
     * version (ready pods), and in its fallback list (terminating pods,
     * used only when no ready endpoint is left); -1 when not listed. */
    gint lb_index;
    gint fb_index;
    /* The same in its Deployment's lists, when the strategy runs
     * Deployments of its own (routes by Deployment). */
    gint dep_lb_index;
    gint dep_fb_index;

    SimRequest **more_slots; /* slots SIM_POD_INLINE_SLOTS and up */
    /* The free ones of those, a stack: a pod with hundreds of servers
     * finds one in O(1), not by scanning the busy ones. */
    gint32 *more_free;
    gint n_more_free;

    /* Resource use (resource-use.c).  The hot path only counts
     * `accepted` (above); the rest moves at accounting times. */
    SimTime start_time;      /* status.startTime: the kubelet took it */
    SimTime ready_changed;   /* the Ready condition's last transition */
    gboolean container_up;   /* a container runs */
    SimTime container_start; /* when it started */
    SimTime cpu_at;          /* CPU accounted up to here */
    guint64 cpu_accepted;    /* `accepted` as of cpu_at */
    double cpu_used;         /* millicore-microseconds, this container */
    guint64 tick_accepted;   /* `accepted` at the last throttle tick */
    SimPodScrape scrape[2];  /* the metrics pipeline's last two
                                scrapes: [0] the newest */
    gint scrapes;            /* of this container, at most 2 */

    /* Probes and restarts (probes.c, pod.c).  app_up: the app answers
     * (its startup is over); started: the startup probe passed, or
     * there is none; hung: it stopped answering (hang_after); dying:
     * killed, its exit to come. */
    SimPodProbe probe[SIM_HEALTH_N];
    gboolean app_up, started, hung, dying;
    guint container_gen; /* one more at each container start */
    SimHandle hang_timer;
    SimTime backoff, backoff_at; /* CrashLoopBackOff: the entry (0:
                                    none) and its last update */
    const char *exit_reason;     /* why the last container ended */
};
G_STATIC_ASSERT (G_STRUCT_OFFSET (SimPod, id) == 64);

/* A free server slot of @pod (it has one: busy < concurrency): the
 * first free of the slots inside it, else one of the others.  The first
 * free inline slot comes from a mask, not a scan: at light load which
 * slots are free is a coin toss, and a scan's branches then mispredict
 * (about 2% of bench-scale's time at 10,000 pods). */
static inline gint
sim_pod_take_slot (SimPod *pod)
{
    if (G_LIKELY (pod->inline_free != 0)) {
        gint i = __builtin_ctz (pod->inline_free);

        pod->inline_free &= (guint8) (pod->inline_free - 1);
        return i;
    }
    g_assert (pod->n_more_free > 0);
    return pod->more_free[--pod->n_more_free];
}

/* Server slot @i of @pod (i < concurrency). */
static inline SimRequest **
sim_pod_slot (SimPod *pod, gint i)
{
    return G_LIKELY (i < SIM_POD_INLINE_SLOTS)
               ? &pod->slots[i]
               : &pod->more_slots[i - SIM_POD_INLINE_SLOTS];
}

/* Slot @i of @pod is free again. */
static inline void
sim_pod_release_slot (SimPod *pod, gint i)
{
    *sim_pod_slot (pod, i) = NULL;
    if (i < SIM_POD_INLINE_SLOTS)
        pod->inline_free |= (guint8) (1u << i);
    else
        pod->more_free[pod->n_more_free++] = i;
}

struct SimReplicaSet {
    guint index;
    char name[64];
    SimDeployment *owner;
    gint version;
    SimTemplate tmpl;
    gint revision;
    gint ann_desired, ann_max; /* -1: not written */
    gint spec;
    SimTime created;
    GPtrArray *pods; /* SimPod*, every pod ever created */
    /* Its pods' phases counted as they change (pod.c), so that the
     * status costs nothing per pod: st as sim_replica_set_status()
     * returns it, alive the pods not gone. */
    SimReplicaSetStatus st;
    gint alive;
    gboolean sync_pending;
    guint next_pod; /* for pod names */
};

/* The Deployments a strategy may declare (strategy.h), besides the
 * application's. */
#define SIM_MAX_DEPLOYMENTS 2

/* A Deployment (or Rollout) object: its spec as the user (or, for one a
 * strategy declared, the strategy) last wrote it. */
struct SimDeployment {
    gint index;        /* 0: the application's; 1.. the declared ones */
    const char *label; /* NULL: the application's */
    char name[80];     /* spec.name of a declared one */
    SimDeploymentSpec spec;
    gint revision;                       /* the highest handed out */
    gint n_of_version[SIM_MAX_VERSIONS]; /* its ReplicaSets per version, for
                                           names */
};

typedef struct SimNode {
    gint64 cpu_free, memory_free;
    SimTime image_ready[SIM_MAX_VERSIONS]; /* -1 none; else pull end */

    /* Lifecycle (cluster.c): the kubelet down (node-fail) since
     * down_since, its heartbeat last seen then; Ready=Unknown as the
     * node lifecycle controller marked it; the NoExecute and NoSchedule
     * taints; spec.unschedulable (cordon). */
    gboolean down;
    SimTime down_since;
    gboolean not_ready;
    gboolean tainted;
    SimTime tainted_at;
    gboolean taint_queued; /* waiting for the taint rate limiter */
    gboolean cordoned;
    SimHandle pass;    /* the monitor pass this node waits for */
    SimHandle evict;   /* the taint manager's evictions */
    gboolean draining; /* a kubectl drain is evicting its pods */

    /* The cluster autoscaler (cluster-autoscaler.c): its own pods of
     * other workloads it cannot move; when it found the node unneeded
     * (-1: it is needed); removing it (tainted ToBeDeleted, its pods
     * being evicted) since; gone. */
    gint background_pods;
    SimTime unneeded_since;
    SimTime removing_since; /* -1: not being removed */
    gboolean removed;

    /* The scheduler's index (cluster.c): the node's score for an
     * application pod, and its place in w->node_index (-1: not open to
     * one). */
    double score;
    gint index_pos;
} SimNode;

/* The endpoints load balancers know, per version. */
typedef struct SimEndpoints {
    SimPod **pods;
    gint n, cap;
} SimEndpoints;

typedef struct SimServiceState {
    guint32 mask;      /* versions selected, as LBs know it */
    gboolean weighted; /* split by weights, not endpoints */
    gint weights[SIM_MAX_VERSIONS];
    gboolean routed; /* weighted, by Deployment: route, not weights */
    SimRoute route;  /* world.h */
    guint32 rr;      /* round-robin cursor */
    /* Its ready endpoints as they were when SimWorld.endpoints_gen was
     * ready_gen (service.c keeps them, so that a request need not count
     * them): how many, and the version whose list holds them all, or -1
     * when several lists do. */
    guint64 ready_gen;
    gint ready_total;
    gint ready_one;
} SimServiceState;

/* An analysis probe (world.h). */
typedef struct SimProbe {
    gboolean in_use;
    gint version;
    const SimDeployment *owner; /* counts only its pods; NULL: any */
    guint64 requests, ok, errors;
    SimHistogram *latency; /* made when first opened: most runs open few */
} SimProbe;

struct SimWorld {
    const SimScenario *sc;
    SimEngine *engine;
    SimEventLog *log;
    SimMetrics *metrics;

    SimRng rng_arrivals, rng_service, rng_startup, rng_errors, rng_balancer,
        rng_faults, rng_pull, rng_preview, rng_routing, rng_chaos, rng_probes,
        rng_hang, rng_provision, rng_users, rng_mirror;

    /* Each version's error rate now (the timeline's error-rate changes
     * it). */
    double error_rate[SIM_MAX_VERSIONS];

    /* Cluster. */
    SimNode *nodes;
    gint n_nodes;
    SimTime last_taint;  /* the taint rate limiter's last taint; -1 */
    SimHandle taint_run; /* the next try of the taint queue */
    GQueue unscheduled;  /* SimPod*, FIFO */
    /* The nodes an application pod fits on and may go to, a binary heap
     * by score (cluster.c); capacity node_index_cap. */
    gint *node_index;
    gint n_node_index, node_index_cap;
    gint nodes_live;   /* not removed by the cluster autoscaler */
    SimAutoscaler *ca; /* cluster-autoscaler.c; NULL: none */
    gboolean schedule_pending;

    /* Workloads. */
    SimDeployment app; /* the application's Deployment */
    /* The strategy's own (SimStrategyClass.deployments); the last is
     * the one whose history the user's undo walks. */
    SimDeployment owned[SIM_MAX_DEPLOYMENTS];
    gint n_owned;
    GPtrArray *replica_sets;        /* SimReplicaSet*, creation order */
    GPtrArray *pods;                /* SimPod*, creation order */
    GPtrArray *pod_blocks;          /* the pods' memory (pod.c), freed last */
    char *pod_next;                 /* the next pod's room in the last block */
    gsize pod_room, pod_block_size; /* bytes left there; its size */
    guint next_pod_id;
    gint pods_existing;    /* not gone, terminating included */
    gint pods_terminating; /* of those, deleted and shutting down */
    gint pods_ready;       /* ready and not terminating */

    /* Services and load balancers. */
    SimEndpoints endpoints[SIM_MAX_VERSIONS];
    SimEndpoints fallback[SIM_MAX_VERSIONS];
    SimServiceState services[SIM_SERVICE_N];
    /* One more at every change of a ready list or of a Service's state:
     * a Service's ready_gen behind it means its counts are stale. */
    guint64 endpoints_gen;
    /* Per Deployment (index), kept only when the strategy declared
     * some. */
    SimEndpoints dep_endpoints[SIM_MAX_DEPLOYMENTS + 1];
    SimEndpoints dep_fallback[SIM_MAX_DEPLOYMENTS + 1];
    guint64 *sticky;    /* session affinity: users pinned to the canary */
    SimPod *mirror_pod; /* the copy of the request being routed, or NULL */
    gboolean sticky_any;
    gboolean preview_used;  /* the preview Service was ever set */
    GQueue service_changes; /* selector/weight changes in transit */

    /* Requests. */
    SimRequest *free_requests;
    GPtrArray *request_chunks;
    gint64 request_pool;                 /* requests in the chunks */
    gint64 in_flight;                    /* accepted by a pod, not yet done */
    gint64 unanswered;                   /* arrived, client has no outcome */
    double profile_rate;                 /* current arrival rate (profile) */
    gint profile_next;                   /* next step of sc->profile_steps */
    double arrival_clock[SIM_SERVICE_N]; /* exact, usec */
    SimHandle arrival_event[SIM_SERVICE_N]; /* the next arrival */
    double preview_rate;                    /* now (a load tester's) */

    /* The strategy. */
    const SimStrategyClass *strategy;
    gpointer strategy_data;
    gboolean sync_pending;
    SimRolloutRecord rollout;

    /* Analysis probes, and per version the mask of those open on it. */
    SimProbe probes[SIM_MAX_PROBES];
    guint32 probe_mask[SIM_MAX_VERSIONS];

    /* The application's HPA (hpa.c); NULL without one. */
    SimHpa *hpa;

    /* Resource use (resource-use.c). */
    gboolean usage_on;
    double cpu_total;  /* millicore-microseconds, every container */
    double cpu_marked; /* cpu_total at the last sample */
    SimTime cpu_marked_at;

    /* The memory budget (memory.h): the event-log length at which to
     * measure again, and why the run stopped (NULL: it did not). */
    guint log_check_at;
    GError *error;
};

/* --- world.c: the memory budget ----------------------------------------- */
/* Measure what the run holds; over scenario.max_memory, stop the run
 * (sim_world_error says why).  Called where things grow: a request chunk,
 * a sample, pods, every few thousand event-log rows.  FALSE: stopped. */
gboolean sim_world_check_memory (SimWorld *w);

/* --- memory.c ----------------------------------------------------------- */
/* The error of a run stopped at @use: what grew, which key bounds it. */
void sim_memory_overrun (const SimWorld *w, const SimMemoryUse *use,
                         GError **error);

/* --- cluster.c ---------------------------------------------------------- */
void sim_cluster_init (SimWorld *w);
void sim_cluster_clear (SimWorld *w);
/* Queue @pod for scheduling (after schedule_delay). */
void sim_cluster_enqueue (SimWorld *w, SimPod *pod);
/* Place @pod now if a node has room; FALSE otherwise. */
gboolean sim_cluster_place (SimWorld *w, SimPod *pod);
/* Node @n's room or its openness to pods (cordon, taints, removal)
 * changed: the scheduler's index follows.  Every change of those goes
 * through here. */
void sim_cluster_node_changed (SimWorld *w, gint n);
/* Tests: check every placement from the scheduler's index against a
 * scan of all nodes, and every ReplicaSet status read from its counters
 * against a count of its pods (asserts on a difference). */
void sim_model_set_verify (gboolean verify);
gboolean sim_model_verifying (void);
/* Release @pod's node resources and retry pending pods. */
void sim_cluster_release (SimWorld *w, SimPod *pod);
/* The timeline's node actions (node index @n; -1 for node-add).  FALSE
 * with *@why when upstream refuses. */
void sim_cluster_node_fail (SimWorld *w, gint n);
void sim_cluster_node_recover (SimWorld *w, gint n);
void sim_cluster_node_cordon (SimWorld *w, gint n, gboolean cordon);
void sim_cluster_nodes_add (SimWorld *w, gint count);
/* The cluster autoscaler takes node @n away (it has no pod left). */
void sim_cluster_node_remove (SimWorld *w, gint n);
/* The node with most active pods of the application, ties to the
 * lowest number. */
gint sim_cluster_busiest (const SimWorld *w);

/* --- pod.c -------------------------------------------------------------- */
/* The readiness probe's verdict: Ready (endpoints, availability) or
 * not. */
void sim_pod_set_ready (SimWorld *w, SimPod *pod, gboolean ready);
/* A liveness or startup failure: kill the running container (preStop,
 * SIGTERM, SIGKILL at the grace period's end if it hangs), then
 * restart it after the CrashLoopBackOff delay. */
void sim_pod_kill_container (SimWorld *w, SimPod *pod, const char *why);
SimPod *sim_pod_create (SimWorld *w, SimReplicaSet *rs, gboolean warm);
void sim_pod_scheduled (SimWorld *w, SimPod *pod);
void sim_pod_delete (SimWorld *w, SimPod *pod);
/* Traffic: a pod that stopped accepting has no request left. */
void sim_pod_drained (SimWorld *w, SimPod *pod);
/* Whether the pod counts as not terminating, and the phase buckets. */
gboolean sim_pod_is_active (const SimPod *pod);
/* Its node went down: every container stops, every request it holds is
 * left unanswered (clients time out).  Its node is back: a deleted pod
 * is gone, the others' containers start again. */
void sim_pod_node_down (SimWorld *w, SimPod *pod);
void sim_pod_node_up (SimWorld *w, SimPod *pod);
/* The node lifecycle controller marked the pod not ready
 * (MarkPodsNotReady). */
void sim_pod_mark_not_ready (SimWorld *w, SimPod *pod);
/* Deleted by the taint manager or the Eviction API: a pod-evicted row
 * (@why), then an ordinary deletion. */
void sim_pod_evict (SimWorld *w, SimPod *pod, const char *why);
/* Frees what @pod holds; the pod itself goes with its world's pod
 * blocks. */
void sim_pod_free (SimPod *pod);

/* --- replica-set.c ------------------------------------------------------ */
/* A ReplicaSet of @d with template @t, revision @revision. */
SimReplicaSet *sim_replica_set_new (SimWorld *w, SimDeployment *d,
                                    SimTemplate t, gint revision, gint spec);
void sim_replica_set_free (SimReplicaSet *rs);
/* Ask the ReplicaSet controller to reconcile @rs (after
 * controller_delay). */
void sim_replica_set_enqueue (SimWorld *w, SimReplicaSet *rs);

/* --- service.c ---------------------------------------------------------- */
void sim_service_init (SimWorld *w);
void sim_service_clear (SimWorld *w);
/* A pod turned ready / stopped being ready: LBs learn it later. */
void sim_service_pod_ready (SimWorld *w, SimPod *pod);
void sim_service_pod_not_ready (SimWorld *w, SimPod *pod);
/* The pod is gone: balancers drop it from their fallback later. */
void sim_service_pod_gone (SimWorld *w, SimPod *pod);
/* Add at once (initial pods). */
void sim_service_add_now (SimWorld *w, SimPod *pod);
/* Choose a pod for user @user's request to @svc; NULL = no endpoint.
 * A route with a mirror may also choose a pod for a copy: w->mirror_pod
 * (the caller takes it and clears it). */
SimPod *sim_service_route (SimWorld *w, SimServiceId svc, guint32 user);
/* Bring the pods the next requests to @svc are likely routed to into
 * the cache, and their entries in the endpoint list (random balancer,
 * more than 1,024 ready pods; only a hint, nothing changes): with
 * 10,000 pods they are rarely there, and the next arrivals need them. */
void sim_service_prefetch (SimWorld *w, SimServiceId svc);

/* --- traffic.c ---------------------------------------------------------- */
void sim_traffic_init (SimWorld *w);
void sim_traffic_clear (SimWorld *w);
void sim_traffic_start (SimWorld *w);
/* The user traffic's rate from now on (a rate profile no longer
 * applies). */
void sim_traffic_set_rate (SimWorld *w, double rate);
/* A probe through @pod's queue (probe_path = shared): it waits like a
 * request, takes no service time, and its answer or its timeout comes
 * back through sim_probes_answer.  FALSE: it cannot get in (not
 * accepting, or the queue is full): a failure now. */
gboolean sim_traffic_probe (SimWorld *w, SimPod *pod, gint type,
                            SimTime timeout);
/* Every request still held by @pod is killed. */
void sim_traffic_pod_killed (SimWorld *w, SimPod *pod);
/* @pod's node is down: the requests it serves will never be answered;
 * their clients time out. */
void sim_traffic_pod_stalled (SimWorld *w, SimPod *pod);

/* --- world.c (model-internal) --------------------------------------------- */
/* Something the controllers watch changed: wake the Deployment
 * controller (after controller_delay, deduplicated). */
void sim_world_status_changed (SimWorld *w);
/* Pod counts changed: metrics follow the peak, integral and min ready. */
void sim_world_pods_changed (SimWorld *w);
void sim_world_log_pod (SimWorld *w, SimEventKind kind, const SimPod *pod,
                        const char *detail);

/* The user's writes to the application's Deployment (the [rollout] and
 * the timeline's actions), each logged; the controller sees them at once.
 * A new template begins a rollout (rollover when one is under way). */
void sim_world_set_template (SimWorld *w, SimTemplate t);
void sim_world_set_paused (SimWorld *w, gboolean paused);
void sim_world_set_replicas (SimWorld *w, gint replicas);
/* A Rollout's spec.restartAt = now. */
void sim_world_set_restart_at (SimWorld *w);
/* The Deployment whose ReplicaSets are the revision history the user's
 * undo walks: the application's, or the last one the strategy declared
 * (Flagger's canary is the user's Deployment itself). */
SimDeployment *sim_world_history (SimWorld *w);
/* A user command for the strategy (a Rollout's); FALSE with *@refusal. */
gboolean sim_world_command (SimWorld *w, SimCommand cmd, char **refusal);

/* --- probes.c ------------------------------------------------------------ */
/* Whether @v's containers are probed at all (any period set, or they
 * hang): without it a pod lives as before probes existed. */
gboolean sim_probes_enabled (const SimScenario *sc, gint v);
/* The kubelet took @pod (its workers start; their tick phases drawn). */
void sim_probes_pod_added (SimWorld *w, SimPod *pod);
/* A container started: results reset, hang and first probes planned. */
void sim_probes_container_started (SimWorld *w, SimPod *pod);
/* A pod running at t = 0: started, up and ready; its workers start
 * now, and hang_after counts from now. */
void sim_probes_warm (SimWorld *w, SimPod *pod);
/* The app answers (its startup is over). */
void sim_probes_app_up (SimWorld *w, SimPod *pod);
/* Terminating, gone, or its node down: the workers stop. */
void sim_probes_stop (SimWorld *w, SimPod *pod);
/* The CrashLoopBackOff delay of a container that exits at @exit
 * (kuberuntime doBackOff over client-go's Backoff(10 s, 300 s)), given
 * the pod's back-off entry (0: none) and its last update, which it
 * updates: none the first time or after more than 600 s since the
 * entry's update (a long run), else the entry; the entry then starts at
 * 10 s or doubles, at most 300 s, and is updated at the restart. */
SimTime sim_probes_restart_delay (SimTime *entry, SimTime *updated,
                                  SimTime exit);
/* A shared-path probe's answer (traffic.c): served, or timed out. */
void sim_probes_answer (SimWorld *w, SimPod *pod, gint type, gboolean ok);

/* --- resource-use.c -------------------------------------------------------- */
/* Whether the run models resource use at all (a version with a CPU or
 * memory figure, or an HPA): without it nothing below costs anything. */
gboolean sim_usage_enabled (const SimWorld *w);
void sim_usage_init (SimWorld *w);
/* A container of @pod started / stopped (crash, kill, gone). */
void sim_usage_container_started (SimWorld *w, SimPod *pod);
void sim_usage_container_stopped (SimWorld *w, SimPod *pod);
/* Account every running container up to now; the cores used since the
 * last call (NaN the first time, or when usage is not modelled). */
double sim_usage_sample (SimWorld *w);
/* The metrics pipeline's view of @pod (metrics-server, docs/design.md
 * H2): FALSE when it has no sample yet; else the CPU in millicores (or
 * requests per second x 1000 when @requests), the sample's timestamp and
 * window. */
gboolean sim_usage_pod_metric (const SimWorld *w, const SimPod *pod,
                               gboolean requests, gint64 *value,
                               SimTime *timestamp, SimTime *window);
/* Scrape every running container now (the metrics pipeline's tick). */
void sim_usage_scrape (SimWorld *w);

/* --- hpa.c --------------------------------------------------------------- */
/* The application's HPA, when [autoscaling] has one: its syncs and the
 * metrics pipeline's scrapes start now. */
void sim_hpa_start (SimWorld *w);
void sim_hpa_free (SimWorld *w);
/* Its last status.desiredReplicas (-1: no HPA, or no sync yet), the last
 * CPU utilization it computed (NaN: none), the highest spec.replicas it
 * wrote (-1: none). */
gint sim_hpa_desired (const SimWorld *w);
double sim_hpa_utilization (const SimWorld *w);
gint sim_hpa_peak (const SimWorld *w);
/* --- cluster-autoscaler.c ------------------------------------------------- */
/* With cluster.autoscaler: its scans start now. */
void sim_autoscaler_start (SimWorld *w);
void sim_autoscaler_free (SimWorld *w);

/* --- disruption.c --------------------------------------------------------- */
/* The Eviction API, for @who ("kubectl drain node-2"): TRUE when the pod
 * is (being) deleted, FALSE when the budget refuses (logged). */
gboolean sim_disruption_evict (SimWorld *w, SimPod *pod, const char *who);
/* The disruptions the budget allows now (G_MAXINT without one). */
gint sim_disruption_allowed (SimWorld *w);
/* kubectl drain: cordon, then evict every pod of node @n, retrying each
 * refusal 5 s later, until they are gone. */
void sim_disruption_drain (SimWorld *w, gint n);

/* --- timeline.c ----------------------------------------------------------- */
/* Schedule the actions of [timeline] (after the [rollout], so that at one
 * instant the rollout comes first). */
void sim_timeline_schedule (SimWorld *w);

#endif /* SIM_MODEL_H */
