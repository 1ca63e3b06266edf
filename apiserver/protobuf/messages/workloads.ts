/**
 * Protobuf message descriptions: apps/v1, batch/v1, autoscaling/v1 and v2, policy/v1.
 * Notation and sources: `../table.ts`.
 */
import type { PackageTable } from '../table.js';

export const appsV1: PackageTable = {
  ControllerRevision: 'metadata=1:meta.v1.ObjectMeta data=2:runtime.RawExtension revision=3:int64!',
  ControllerRevisionList: 'metadata=1:meta.v1.ListMeta items=2:ControllerRevision[]',
  DaemonSet: 'metadata=1:meta.v1.ObjectMeta spec=2:DaemonSetSpec status=3:DaemonSetStatus',
  DaemonSetCondition:
    'type=1:string! status=2:string! lastTransitionTime=3:meta.v1.Time reason=4:string message=5:string',
  DaemonSetList: 'metadata=1:meta.v1.ListMeta items=2:DaemonSet[]',
  DaemonSetSpec:
    'selector=1:meta.v1.LabelSelector template=2:core.v1.PodTemplateSpec updateStrategy=3:DaemonSetUpdateStrategy minReadySeconds=4:int32 revisionHistoryLimit=6:int32?',
  DaemonSetStatus:
    'currentNumberScheduled=1:int32! numberMisscheduled=2:int32! desiredNumberScheduled=3:int32! numberReady=4:int32! observedGeneration=5:int64 updatedNumberScheduled=6:int32 numberAvailable=7:int32 numberUnavailable=8:int32 collisionCount=9:int32? conditions=10:DaemonSetCondition[]',
  DaemonSetUpdateStrategy: 'type=1:string rollingUpdate=2:RollingUpdateDaemonSet',
  Deployment: 'metadata=1:meta.v1.ObjectMeta spec=2:DeploymentSpec status=3:DeploymentStatus',
  DeploymentCondition:
    'type=1:string! status=2:string! reason=4:string message=5:string lastUpdateTime=6:meta.v1.Time lastTransitionTime=7:meta.v1.Time',
  DeploymentList: 'metadata=1:meta.v1.ListMeta items=2:Deployment[]',
  DeploymentSpec:
    'replicas=1:int32? selector=2:meta.v1.LabelSelector template=3:core.v1.PodTemplateSpec strategy=4:DeploymentStrategy minReadySeconds=5:int32 revisionHistoryLimit=6:int32? paused=7:bool progressDeadlineSeconds=9:int32?',
  DeploymentStatus:
    'observedGeneration=1:int64 replicas=2:int32 updatedReplicas=3:int32 availableReplicas=4:int32 unavailableReplicas=5:int32 conditions=6:DeploymentCondition[] readyReplicas=7:int32 collisionCount=8:int32? terminatingReplicas=9:int32?',
  DeploymentStrategy: 'type=1:string rollingUpdate=2:RollingUpdateDeployment',
  ReplicaSet: 'metadata=1:meta.v1.ObjectMeta spec=2:ReplicaSetSpec status=3:ReplicaSetStatus',
  ReplicaSetCondition:
    'type=1:string! status=2:string! lastTransitionTime=3:meta.v1.Time reason=4:string message=5:string',
  ReplicaSetList: 'metadata=1:meta.v1.ListMeta items=2:ReplicaSet[]',
  ReplicaSetSpec:
    'replicas=1:int32? selector=2:meta.v1.LabelSelector template=3:core.v1.PodTemplateSpec minReadySeconds=4:int32',
  ReplicaSetStatus:
    'replicas=1:int32! fullyLabeledReplicas=2:int32 observedGeneration=3:int64 readyReplicas=4:int32 availableReplicas=5:int32 conditions=6:ReplicaSetCondition[] terminatingReplicas=7:int32?',
  RollingUpdateDaemonSet: 'maxUnavailable=1:intstr.IntOrString maxSurge=2:intstr.IntOrString',
  RollingUpdateDeployment: 'maxUnavailable=1:intstr.IntOrString maxSurge=2:intstr.IntOrString',
  RollingUpdateStatefulSetStrategy: 'partition=1:int32? maxUnavailable=2:intstr.IntOrString',
  StatefulSet: 'metadata=1:meta.v1.ObjectMeta spec=2:StatefulSetSpec status=3:StatefulSetStatus',
  StatefulSetCondition:
    'type=1:string! status=2:string! lastTransitionTime=3:meta.v1.Time reason=4:string message=5:string',
  StatefulSetList: 'metadata=1:meta.v1.ListMeta items=2:StatefulSet[]',
  StatefulSetOrdinals: 'start=1:int32!',
  StatefulSetPersistentVolumeClaimRetentionPolicy: 'whenDeleted=1:string whenScaled=2:string',
  StatefulSetSpec:
    'replicas=1:int32? selector=2:meta.v1.LabelSelector template=3:core.v1.PodTemplateSpec volumeClaimTemplates=4:core.v1.PersistentVolumeClaim[] serviceName=5:string! podManagementPolicy=6:string updateStrategy=7:StatefulSetUpdateStrategy revisionHistoryLimit=8:int32? minReadySeconds=9:int32 persistentVolumeClaimRetentionPolicy=10:StatefulSetPersistentVolumeClaimRetentionPolicy ordinals=11:StatefulSetOrdinals',
  StatefulSetStatus:
    'observedGeneration=1:int64 replicas=2:int32! readyReplicas=3:int32 currentReplicas=4:int32 updatedReplicas=5:int32 currentRevision=6:string updateRevision=7:string collisionCount=9:int32? conditions=10:StatefulSetCondition[] availableReplicas=11:int32!',
  StatefulSetUpdateStrategy: 'type=1:string rollingUpdate=2:RollingUpdateStatefulSetStrategy',
};

export const batchV1: PackageTable = {
  CronJob: 'metadata=1:meta.v1.ObjectMeta spec=2:CronJobSpec status=3:CronJobStatus',
  CronJobList: 'metadata=1:meta.v1.ListMeta items=2:CronJob[]',
  CronJobSpec:
    'schedule=1:string! startingDeadlineSeconds=2:int64? concurrencyPolicy=3:string suspend=4:bool? jobTemplate=5:JobTemplateSpec successfulJobsHistoryLimit=6:int32? failedJobsHistoryLimit=7:int32? timeZone=8:string?',
  CronJobStatus:
    'active=1:core.v1.ObjectReference[] lastScheduleTime=4:meta.v1.Time lastSuccessfulTime=5:meta.v1.Time',
  Job: 'metadata=1:meta.v1.ObjectMeta spec=2:JobSpec status=3:JobStatus',
  JobCondition:
    'type=1:string! status=2:string! lastProbeTime=3:meta.v1.Time lastTransitionTime=4:meta.v1.Time reason=5:string message=6:string',
  JobList: 'metadata=1:meta.v1.ListMeta items=2:Job[]',
  JobSpec:
    'parallelism=1:int32? completions=2:int32? activeDeadlineSeconds=3:int64? selector=4:meta.v1.LabelSelector manualSelector=5:bool? template=6:core.v1.PodTemplateSpec backoffLimit=7:int32? ttlSecondsAfterFinished=8:int32? completionMode=9:string? suspend=10:bool? podFailurePolicy=11:PodFailurePolicy backoffLimitPerIndex=12:int32? maxFailedIndexes=13:int32? podReplacementPolicy=14:string? managedBy=15:string? successPolicy=16:SuccessPolicy',
  JobStatus:
    'conditions=1:JobCondition[] startTime=2:meta.v1.Time completionTime=3:meta.v1.Time active=4:int32 succeeded=5:int32 failed=6:int32 completedIndexes=7:string uncountedTerminatedPods=8:UncountedTerminatedPods ready=9:int32? failedIndexes=10:string? terminating=11:int32?',
  JobTemplateSpec: 'metadata=1:meta.v1.ObjectMeta spec=2:JobSpec',
  PodFailurePolicy: 'rules=1:PodFailurePolicyRule[]',
  PodFailurePolicyOnExitCodesRequirement:
    'containerName=1:string? operator=2:string! values=3:int32[]',
  PodFailurePolicyOnPodConditionsPattern: 'type=1:string! status=2:string!',
  PodFailurePolicyRule:
    'action=1:string! onExitCodes=2:PodFailurePolicyOnExitCodesRequirement onPodConditions=3:PodFailurePolicyOnPodConditionsPattern[]',
  SuccessPolicy: 'rules=1:SuccessPolicyRule[]',
  SuccessPolicyRule: 'succeededIndexes=1:string? succeededCount=2:int32?',
  UncountedTerminatedPods: 'succeeded=1:string[] failed=2:string[]',
};

export const autoscalingV1: PackageTable = {
  CrossVersionObjectReference: 'kind=1:string! name=2:string! apiVersion=3:string',
  HorizontalPodAutoscaler:
    'metadata=1:meta.v1.ObjectMeta spec=2:HorizontalPodAutoscalerSpec status=3:HorizontalPodAutoscalerStatus',
  HorizontalPodAutoscalerList: 'metadata=1:meta.v1.ListMeta items=2:HorizontalPodAutoscaler[]',
  HorizontalPodAutoscalerSpec:
    'scaleTargetRef=1:CrossVersionObjectReference minReplicas=2:int32? maxReplicas=3:int32! targetCPUUtilizationPercentage=4:int32?',
  HorizontalPodAutoscalerStatus:
    'observedGeneration=1:int64? lastScaleTime=2:meta.v1.Time currentReplicas=3:int32! desiredReplicas=4:int32! currentCPUUtilizationPercentage=5:int32?',
  Scale: 'metadata=1:meta.v1.ObjectMeta spec=2:ScaleSpec status=3:ScaleStatus',
  ScaleSpec: 'replicas=1:int32',
  ScaleStatus: 'replicas=1:int32! selector=2:string',
};

export const autoscalingV2: PackageTable = {
  ContainerResourceMetricSource: 'name=1:string! target=2:MetricTarget container=3:string!',
  ContainerResourceMetricStatus: 'name=1:string! current=2:MetricValueStatus container=3:string!',
  CrossVersionObjectReference: 'kind=1:string! name=2:string! apiVersion=3:string',
  ExternalMetricSource: 'metric=1:MetricIdentifier target=2:MetricTarget',
  ExternalMetricStatus: 'metric=1:MetricIdentifier current=2:MetricValueStatus',
  HPAScalingPolicy: 'type=1:string! value=2:int32! periodSeconds=3:int32!',
  HPAScalingRules:
    'selectPolicy=1:string? policies=2:HPAScalingPolicy[] stabilizationWindowSeconds=3:int32? tolerance=4:resource.Quantity',
  HorizontalPodAutoscaler:
    'metadata=1:meta.v1.ObjectMeta spec=2:HorizontalPodAutoscalerSpec status=3:HorizontalPodAutoscalerStatus',
  HorizontalPodAutoscalerBehavior: 'scaleUp=1:HPAScalingRules scaleDown=2:HPAScalingRules',
  HorizontalPodAutoscalerCondition:
    'type=1:string! status=2:string! lastTransitionTime=3:meta.v1.Time reason=4:string message=5:string',
  HorizontalPodAutoscalerList: 'metadata=1:meta.v1.ListMeta items=2:HorizontalPodAutoscaler[]',
  HorizontalPodAutoscalerSpec:
    'scaleTargetRef=1:CrossVersionObjectReference minReplicas=2:int32? maxReplicas=3:int32! metrics=4:MetricSpec[] behavior=5:HorizontalPodAutoscalerBehavior',
  HorizontalPodAutoscalerStatus:
    'observedGeneration=1:int64? lastScaleTime=2:meta.v1.Time currentReplicas=3:int32 desiredReplicas=4:int32! currentMetrics=5:MetricStatus[] conditions=6:HorizontalPodAutoscalerCondition[]',
  MetricIdentifier: 'name=1:string! selector=2:meta.v1.LabelSelector',
  MetricSpec:
    'type=1:string! object=2:ObjectMetricSource pods=3:PodsMetricSource resource=4:ResourceMetricSource external=5:ExternalMetricSource containerResource=7:ContainerResourceMetricSource',
  MetricStatus:
    'type=1:string! object=2:ObjectMetricStatus pods=3:PodsMetricStatus resource=4:ResourceMetricStatus external=5:ExternalMetricStatus containerResource=7:ContainerResourceMetricStatus',
  MetricTarget:
    'type=1:string! value=2:resource.Quantity averageValue=3:resource.Quantity averageUtilization=4:int32?',
  MetricValueStatus:
    'value=1:resource.Quantity averageValue=2:resource.Quantity averageUtilization=3:int32?',
  ObjectMetricSource:
    'describedObject=1:CrossVersionObjectReference target=2:MetricTarget metric=3:MetricIdentifier',
  ObjectMetricStatus:
    'metric=1:MetricIdentifier current=2:MetricValueStatus describedObject=3:CrossVersionObjectReference',
  PodsMetricSource: 'metric=1:MetricIdentifier target=2:MetricTarget',
  PodsMetricStatus: 'metric=1:MetricIdentifier current=2:MetricValueStatus',
  ResourceMetricSource: 'name=1:string! target=2:MetricTarget',
  ResourceMetricStatus: 'name=1:string! current=2:MetricValueStatus',
};

export const policyV1: PackageTable = {
  Eviction: 'metadata=1:meta.v1.ObjectMeta deleteOptions=2:meta.v1.DeleteOptions',
  PodDisruptionBudget:
    'metadata=1:meta.v1.ObjectMeta spec=2:PodDisruptionBudgetSpec status=3:PodDisruptionBudgetStatus',
  PodDisruptionBudgetList: 'metadata=1:meta.v1.ListMeta items=2:PodDisruptionBudget[]',
  PodDisruptionBudgetSpec:
    'minAvailable=1:intstr.IntOrString selector=2:meta.v1.LabelSelector maxUnavailable=3:intstr.IntOrString unhealthyPodEvictionPolicy=4:string?',
  PodDisruptionBudgetStatus:
    'observedGeneration=1:int64 disruptedPods=2:{meta.v1.Time} disruptionsAllowed=3:int32! currentHealthy=4:int32! desiredHealthy=5:int32! expectedPods=6:int32! conditions=7:meta.v1.Condition[]',
};
