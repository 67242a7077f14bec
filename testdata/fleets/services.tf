# More workloads in the private subnets: a Lambda function, a Redis replication group and
# an EFS mount target, none of which ever gets a public IPv4 address; and two EKS managed
# node groups in the public subnets, whose nodes are in the cluster security group EKS
# creates (not in the plan). Wrong: `ssh` asks for SSH access without source groups, so
# EKS opens port 22 to 0.0.0.0/0 on its nodes.

resource "aws_security_group" "internal" {
  name   = "internal"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "main.handler"
  filename      = "lambda.zip"
  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.internal.id]
  }
}

resource "aws_elasticache_subnet_group" "cache" {
  name       = "cache"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
  node_type            = "cache.t3.micro"
  num_cache_clusters   = 2
  subnet_group_name    = aws_elasticache_subnet_group.cache.name
  security_group_ids   = [aws_security_group.internal.id]
}

resource "aws_efs_file_system" "shared" {}

resource "aws_efs_mount_target" "shared" {
  count           = 2
  file_system_id  = aws_efs_file_system.shared.id
  subnet_id       = aws_subnet.private[count.index].id
  security_groups = [aws_security_group.internal.id]
}

resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = concat(aws_subnet.public[*].id, aws_subnet.private[*].id)
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/nodes"
  subnet_ids      = aws_subnet.public[*].id
  scaling_config {
    desired_size = 1
    min_size     = 1
    max_size     = 2
  }
}

resource "aws_eks_node_group" "ssh" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "ssh"
  node_role_arn   = "arn:aws:iam::123456789012:role/nodes"
  subnet_ids      = aws_subnet.public[*].id
  scaling_config {
    desired_size = 1
    min_size     = 1
    max_size     = 2
  }
  remote_access {
    ec2_ssh_key = "ops"
  }
}
